package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.Pacing;
import io.clipguard.local.SampleImages;
import io.clipguard.local.UploadProducer;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills the moderation job with SIGKILL in the middle of a stream of uploads, restarts it, and
 * checks that every upload has exactly one outcome (exactly_once_v2, batched, read_committed) or at
 * least one and none lost (at_least_once, which only the per-record mode accepts). The job runs as its own process, as in production.
 */
class CrashRecoveryIT {

    private static final int UPLOADS = 400;
    private static final int UPLOADS_PER_SECOND = 80;

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"exactly_once_v2,batched", "at_least_once,per-record"})
    void everyUploadSurvivesAKillInTheMiddle(String guarantee, String mode) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        String registry = LocalSchemaRegistry.shared().url().toString();
        Map<String, String> topics = Map.of(
                "uploads",
                "crash-uploads-" + run,
                "scored",
                "crash-scored-" + run,
                "flagged",
                "crash-flagged-" + run,
                "dlq",
                "crash-dlq-" + run);
        createTopics(bootstrap, topics);
        Path config = writeConfig(run, guarantee, mode, bootstrap, registry, topics);
        List<byte[]> images = new ArrayList<>();
        for (SampleImages.Sample sample : SampleImages.load(Path.of("models/tiny-clip/samples"))) {
            images.add(Files.readAllBytes(sample.file()));
        }

        try (OutcomeReader reader = new OutcomeReader(
                        bootstrap, registry, topics.get("scored"), topics.get("flagged"), topics.get("dlq"));
                UploadProducer producer = new UploadProducer(bootstrap, registry, topics.get("uploads"))) {
            Process first = startJob(config, "first");
            Thread uploads = new Thread(() -> produce(producer, images));
            uploads.start();
            int beforeKill =
                    reader.awaitDecided(UPLOADS / 4, Duration.ofSeconds(120)).decided();
            first.destroyForcibly().waitFor(); // SIGKILL: no clean shutdown, no final commit
            assertTrue(beforeKill > 0 && beforeKill < UPLOADS, "killed in the middle, after " + beforeKill);

            Process second = startJob(config, "second");
            try {
                uploads.join();
                OutcomeReader.Outcomes outcomes = reader.awaitDistinct(UPLOADS, Duration.ofSeconds(180));
                outcomes = reader.drain(Duration.ofSeconds(3));
                Map<String, Long> perUpload = Stream.concat(
                                ids(outcomes.scored(), r -> r.value().getUploadId()),
                                ids(outcomes.deadLetters(), r -> r.value().getUploadId()))
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertEquals(UPLOADS, perUpload.size(), "no upload lost");
                if (guarantee.equals("exactly_once_v2")) {
                    assertEquals(UPLOADS, outcomes.decided(), "no upload decided twice");
                    assertTrue(perUpload.values().stream().allMatch(count -> count == 1));
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
        }
    }

    private static <V> Stream<String> ids(
            Collection<ConsumerRecord<String, V>> records, Function<ConsumerRecord<String, V>, String> id) {
        return records.stream().map(id);
    }

    private static void produce(UploadProducer producer, List<byte[]> images) {
        long start = System.nanoTime();
        for (int i = 0; i < UPLOADS; i++) {
            if (!Pacing.awaitSlot(start, i, UPLOADS_PER_SECOND)) {
                return;
            }
            producer.send(UploadProducer.inline("upload-" + i, images.get(i % images.size()), "image/png"), true);
        }
        producer.flush();
    }

    private Process startJob(Path config, String name) throws IOException {
        Path log = Path.of("target", "crash-test-" + name + ".log");
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dai.djl.offline=true",
                        "--add-modules=jdk.incubator.vector",
                        "-Xmx1g",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.clipguard.cli.Main",
                        "run",
                        "--config",
                        config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private Path writeConfig(
            String run, String guarantee, String mode, String bootstrap, String registry, Map<String, String> topics)
            throws IOException {
        Properties settings = new Properties();
        settings.setProperty("application.id", "crash-" + run);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("processing.guarantee", guarantee);
        settings.setProperty("clipguard.pipeline.mode", mode);
        settings.setProperty("commit.interval.ms", "200");
        // the killed member leaves no goodbye: let the group notice within seconds, not 45 s
        settings.setProperty("session.timeout.ms", "6000");
        settings.setProperty("heartbeat.interval.ms", "1000");
        settings.setProperty("state.dir", work.resolve("state").toString());
        topics.forEach((role, name) -> settings.setProperty("clipguard.topic." + role, name));
        settings.setProperty("clipguard.model.dir", "models/tiny-clip");
        settings.setProperty("clipguard.management.port", "0"); // several jobs share this machine
        settings.setProperty("clipguard.policy.file", "deploy/policies/tiny-shapes.yaml");
        Path file = work.resolve("crash.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            settings.store(out, "crash test");
        }
        return file;
    }

    private static void createTopics(String bootstrap, Map<String, String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.entrySet().stream()
                            .map(t -> new NewTopic(t.getValue(), t.getKey().equals("uploads") ? 3 : 1, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
    }
}
