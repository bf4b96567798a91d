package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.ConfigLoader;
import io.clipguard.image.BadInputCorpus;
import io.clipguard.image.CorpusEntry;
import io.clipguard.ingest.LocalImageServer;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.SampleImages;
import io.clipguard.local.UploadProducer;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole bad-input corpus, hostile and failing URIs, and good images between them, through a
 * real broker, the real registry and the tiny model: every upload gets exactly one outcome with the
 * expected reason, the job keeps running, and the good images score exactly as they do alone.
 * Fetches go only to a local server on 127.0.0.1, which the guard is configured to allow.
 */
class UntrustedInputIT {

    private static final Path MODEL = Path.of("models/tiny-clip");

    @TempDir
    Path stateDir;

    @TempDir
    Path files;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"batched", "per-record"})
    void everyUploadGetsOneOutcomeAndBadInputDoesNotDisturbGoodImages(String mode) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String uploads = "uploads-" + run;
        createTopics(uploads, "scored-" + run, "flagged-" + run, "dlq-" + run);
        String registry = LocalSchemaRegistry.shared().url().toString();
        String bootstrap = SharedKafka.get().bootstrapServers();
        List<SampleImages.Sample> samples =
                SampleImages.load(MODEL.resolve("samples")).subList(0, 20);
        Map<String, String> expected = new HashMap<>();
        try (LocalImageServer server = new LocalImageServer();
                ModerationApp app = ModerationApp.start(ConfigLoader.from(settings(run, bootstrap, registry, mode)));
                UploadProducer producer = new UploadProducer(bootstrap, registry, uploads);
                OutcomeReader reader =
                        new OutcomeReader(bootstrap, registry, "scored-" + run, "flagged-" + run, "dlq-" + run)) {
            app.awaitRunning(Duration.ofSeconds(60));
            List<UploadedImage> bad = corpus(expected);
            bad.addAll(byReference(server, expected));
            for (int i = 0; i < Math.max(samples.size(), bad.size()); i++) {
                if (i < samples.size()) {
                    byte[] image = Files.readAllBytes(samples.get(i).file());
                    producer.send(UploadProducer.inline("good-" + i, image, "image/png"), true);
                }
                if (i < bad.size()) {
                    producer.send(bad.get(i), true);
                }
            }
            producer.flush();
            int total = samples.size() + bad.size();

            reader.awaitDecided(total, Duration.ofSeconds(240));
            OutcomeReader.Outcomes outcomes = reader.drain(Duration.ofSeconds(2));

            assertEquals(total, outcomes.decided(), "exactly one outcome per upload");
            assertEquals(KafkaStreams.State.RUNNING, app.streams().state(), "the job kept running");
            assertOutcomes(expected, outcomes, uploads);
            assertGoodImagesScoreAsAlone(app, samples, outcomes);
        }
    }

    /** Every corpus entry inline, under its (sometimes lying) content type. */
    private static List<UploadedImage> corpus(Map<String, String> expected) {
        List<UploadedImage> uploads = new java.util.ArrayList<>();
        for (CorpusEntry entry : BadInputCorpus.entries()) {
            String id = "corpus-" + entry.name();
            uploads.add(UploadProducer.inline(id, entry.bytes(), entry.contentType()));
            expected.put(id, entry.expectedReason());
        }
        return uploads;
    }

    private List<UploadedImage> byReference(LocalImageServer server, Map<String, String> expected) throws Exception {
        byte[] good = Files.readAllBytes(
                SampleImages.load(MODEL.resolve("samples")).get(0).file());
        server.serve("/good.png", good);
        server.serve("/huge.png", new byte[2 << 20]);
        server.flaky("/down.png", 1000, 503, good);
        server.flaky("/gone.png", 1000, 404, good);
        server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/", 302);
        Files.write(files.resolve("images/good.png"), good);
        Files.createSymbolicLink(files.resolve("images/escape.png"), Path.of("/etc/passwd"));
        Map<String, String> uris = new java.util.LinkedHashMap<>();
        uris.put(server.uri("/good.png").toString(), null);
        uris.put(files.resolve("images/good.png").toUri().toString(), null);
        uris.put(server.uri("/huge.png").toString(), "IMAGE_TOO_LARGE");
        uris.put(server.uri("/down.png").toString(), "FETCH_FAILED");
        uris.put(server.uri("/gone.png").toString(), "FETCH_FAILED");
        uris.put(server.uri("/to-metadata").toString(), "URI_REFUSED");
        uris.put("http://169.254.169.254/latest/meta-data/iam/", "URI_REFUSED");
        uris.put("http://[::1]:" + server.port() + "/good.png", "URI_REFUSED");
        uris.put("ftp://127.0.0.1/good.png", "URI_REFUSED");
        uris.put(files.resolve("images/../../../etc/passwd").toUri().toString(), "URI_REFUSED");
        uris.put(files.resolve("images/escape.png").toUri().toString(), "URI_REFUSED");
        uris.put("not a uri", "URI_REFUSED");
        List<UploadedImage> uploads = new java.util.ArrayList<>();
        int i = 0;
        for (Map.Entry<String, String> uri : uris.entrySet()) {
            String id = "uri-" + i++;
            uploads.add(UploadedImage.newBuilder()
                    .setUploadId(id)
                    .setUploadedAt(Instant.now())
                    .setContentType("image/png")
                    .setImageUri(uri.getKey())
                    .setAttributes(Map.of())
                    .build());
            expected.put(id, uri.getValue());
        }
        return uploads;
    }

    private static void assertOutcomes(Map<String, String> expected, OutcomeReader.Outcomes outcomes, String topic) {
        Map<String, String> actual = new HashMap<>();
        for (ConsumerRecord<String, ModerationResult> scored : outcomes.scored()) {
            assertEquals(null, actual.put(scored.value().getUploadId(), "SCORED"), "scored twice");
        }
        for (ConsumerRecord<String, ModerationError> dead : outcomes.deadLetters()) {
            ModerationError error = dead.value();
            assertEquals(null, actual.put(error.getUploadId(), error.getReason()), "dead-lettered twice");
            assertEquals(topic, error.getSourceTopic());
            assertTrue(error.getSourceOffset() >= 0 && !error.getMessage().isBlank(), error.toString());
        }
        Map<String, String> wanted = expected.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue() == null ? "SCORED" : e.getValue()));
        actual.keySet().removeIf(id -> id.startsWith("good-"));
        assertEquals(wanted, actual);
    }

    private static void assertGoodImagesScoreAsAlone(
            ModerationApp app, List<SampleImages.Sample> samples, OutcomeReader.Outcomes outcomes) throws Exception {
        Map<String, ModerationResult> results =
                outcomes.scored().stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
        for (int i = 0; i < samples.size(); i++) {
            UploadedImage alone = UploadProducer.inline(
                    "alone-" + i, Files.readAllBytes(samples.get(i).file()), "image/png");
            Outcome direct = app.runtime().moderator().moderate(alone, new SourceCoordinates("direct", 0, i));
            List<LabelScore> expected = ((Outcome.Scored) direct).result().getLabels();
            List<LabelScore> viaKafka = results.get("good-" + i).getLabels();
            for (int label = 0; label < expected.size(); label++) {
                assertEquals(expected.get(label).getScore(), viaKafka.get(label).getScore(), 1e-6, "good-" + i);
            }
        }
    }

    private static void createTopics(String uploads, String... outputs) throws Exception {
        try (Admin admin =
                Admin.create(Map.of("bootstrap.servers", SharedKafka.get().bootstrapServers()))) {
            List<NewTopic> topics = new java.util.ArrayList<>();
            topics.add(new NewTopic(uploads, 3, (short) 1));
            for (String output : outputs) {
                topics.add(new NewTopic(output, 1, (short) 1));
            }
            admin.createTopics(topics).all().get();
        }
    }

    private Properties settings(String run, String bootstrap, String registry, String mode) throws Exception {
        Files.createDirectories(files.resolve("images"));
        Properties settings = new Properties();
        settings.setProperty("clipguard.pipeline.mode", mode);
        settings.setProperty("application.id", "untrusted-" + run);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", stateDir.toString());
        settings.setProperty("commit.interval.ms", "200");
        settings.setProperty("clipguard.topic.uploads", "uploads-" + run);
        settings.setProperty("clipguard.topic.scored", "scored-" + run);
        settings.setProperty("clipguard.topic.flagged", "flagged-" + run);
        settings.setProperty("clipguard.topic.dlq", "dlq-" + run);
        settings.setProperty("clipguard.model.dir", MODEL.toString());
        settings.setProperty("clipguard.management.port", "0"); // several jobs share this machine
        settings.setProperty("clipguard.policy.file", "deploy/policies/tiny-shapes.yaml");
        settings.setProperty("clipguard.input.max-image-bytes", String.valueOf(1 << 20));
        settings.setProperty("clipguard.input.fetch.schemes", "http,file");
        settings.setProperty("clipguard.input.fetch.allowed-networks", "127.0.0.1/32");
        settings.setProperty("clipguard.input.fetch.allowed-ports", "*");
        settings.setProperty(
                "clipguard.input.fetch.file-base-dir", files.resolve("images").toString());
        settings.setProperty("clipguard.input.fetch.read-timeout-ms", "2000");
        settings.setProperty("clipguard.input.fetch.retry-backoff-ms", "20");
        return settings;
    }
}
