package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.tuning.SyntheticReviews;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user runs them: {@code io.clipguard.cli.Main} in a JVM of its own, judged by exit
 * code, standard output and what it writes (files, the policy topic of a real broker).
 */
class CommandLineIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MODEL = Path.of("models/tiny-clip");
    private static final Path POLICY = Path.of("deploy/policies/tiny-shapes.yaml");

    @TempDir
    Path work;

    private record Result(int exitCode, String out, String err) {}

    private Result clipguard(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector",
                "-cp",
                System.getProperty("java.class.path"),
                "io.clipguard.cli.Main"));
        command.addAll(List.of(args));
        Path out = work.resolve("out-" + UUID.randomUUID());
        Path err = work.resolve("err-" + UUID.randomUUID());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command ended");
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void withoutACommandOrWithAWrongOneItPrintsUsageAndExits2() throws Exception {
        Result none = clipguard();
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("usage:"), none.err());
        Result unknown = clipguard("scroe");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown command 'scroe'"), unknown.err());
        Result badOption = clipguard("score", "--modle", MODEL.toString());
        assertEquals(2, badOption.exitCode());
        assertTrue(
                badOption.err().lines().anyMatch(l -> l.startsWith("error: unknown option --modle")), badOption.err());
    }

    @Test
    void scorePrintsOneJsonLinePerImageAndExits1WhenAnyCannotBeScored() throws Exception {
        Path sample = MODEL.resolve("samples/sample_000.png");
        Result good = clipguard("score", "--model", MODEL.toString(), "--policy", POLICY.toString(), sample.toString());
        assertEquals(0, good.exitCode(), good.err());
        List<String> lines = good.out().lines().toList();
        assertEquals(1, lines.size(), good.out());
        JsonNode result = JSON.readTree(lines.get(0));
        assertEquals("tiny-shapes", result.findValue("policy_id").asText(), lines.get(0));
        assertTrue(result.findValue("labels").size() > 0, lines.get(0));

        Path notAnImage = work.resolve("notes.txt");
        Files.writeString(notAnImage, "not an image at all");
        Result mixed = clipguard(
                "score",
                "--model",
                MODEL.toString(),
                "--policy",
                POLICY.toString(),
                sample.toString(),
                notAnImage.toString());
        assertEquals(1, mixed.exitCode(), "one image could not be scored");
        List<String> both = mixed.out().lines().toList();
        assertEquals(2, both.size(), mixed.out());
        assertTrue(both.get(1).contains("UNSUPPORTED_FORMAT"), both.get(1));
    }

    @Test
    void embedPolicyWritesTheEmbeddingsBesideThePolicy() throws Exception {
        Path policy = work.resolve("tiny-shapes.yaml");
        Files.copy(POLICY, policy);
        Result embedded = clipguard("embed-policy", "--model", MODEL.toString(), "--policy", policy.toString());
        assertEquals(0, embedded.exitCode(), embedded.err());
        Path embeddings = work.resolve("tiny-shapes.embeddings.json");
        assertTrue(Files.size(embeddings) > 0, "wrote " + embeddings);
        assertTrue(embedded.out().contains(embeddings.getFileName().toString()), embedded.out());
    }

    @Test
    void tuneReadsFilesAndWritesThePatchThePlotsAndTheTunedPolicy() throws Exception {
        Path policy = work.resolve("synthetic.yaml");
        Files.writeString(policy, SyntheticReviews.POLICY);
        Path scored = work.resolve("scored.jsonl");
        Path reviews = work.resolve("reviews.jsonl");
        SyntheticReviews.writeJsonLines(SyntheticReviews.generate(2000, 7), scored, reviews);
        Path out = work.resolve("tuning");
        Result tuned = clipguard(
                "tune",
                "--policy",
                policy.toString(),
                "--scored",
                scored.toString(),
                "--reviews",
                reviews.toString(),
                "--target-precision",
                "0.9",
                "--out",
                out.toString());
        assertEquals(0, tuned.exitCode(), tuned.err());
        assertTrue(tuned.out().contains("2000 reviewed uploads"), tuned.out());
        assertTrue(Files.size(out.resolve("policy-patch.yaml")) > 0);
        assertTrue(Files.size(out.resolve("pr-bad.png")) > 0);
        assertTrue(Files.size(out.resolve("calibration.png")) > 0);
        assertTrue(Files.list(out).anyMatch(f -> f.getFileName().toString().endsWith(".tuned.yaml")));
    }

    @Test
    void publishPolicyWritesAValidPolicyToTheTopicAndRefusesABrokenOne() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String topic = "policies-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
        Properties settings = new Properties();
        settings.setProperty("application.id", "cli-" + topic);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty(
                "schema.registry.url", LocalSchemaRegistry.shared().url().toString());
        settings.setProperty("clipguard.topic.policy", topic);
        Path config = work.resolve("cli.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            settings.store(out, "command line test");
        }
        Path broken = work.resolve("broken.yaml");
        Files.writeString(broken, "id: tiny-shapes\nversion: 2\nlabels: [ {id: x\n");
        Result refused = clipguard("publish-policy", "--config", config.toString(), "--policy", broken.toString());
        assertEquals(2, refused.exitCode(), refused.out() + refused.err());
        assertTrue(refused.err().lines().anyMatch(l -> l.startsWith("error: ")), refused.err());

        Result published = clipguard("publish-policy", "--config", config.toString(), "--policy", POLICY.toString());
        assertEquals(0, published.exitCode(), published.err());
        List<ConsumerRecord<String, String>> records = readAll(bootstrap, topic);
        assertEquals(1, records.size(), "the broken policy wrote nothing; the valid one once");
        assertEquals("tiny-shapes", records.get(0).key());
        assertEquals(
                Files.readString(POLICY, StandardCharsets.UTF_8), records.get(0).value());
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
        Properties settings = new Properties();
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition)
                            < consumer.endOffsets(List.of(partition)).get(partition)
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
