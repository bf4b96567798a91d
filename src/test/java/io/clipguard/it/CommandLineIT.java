package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.avro.ModerationError;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.tuning.SyntheticReviews;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
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
        assertTrue(none.err().contains("Usage: clipguard"), none.err());
        Result unknown = clipguard("scroe");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("'scroe'"), unknown.err());
        assertTrue(unknown.err().contains("clipguard score"), "suggests the command: " + unknown.err());
        Result badOption = clipguard("score", "--modle", MODEL.toString());
        assertEquals(2, badOption.exitCode());
        assertTrue(
                badOption.err().lines().anyMatch(l -> l.startsWith("error: Unknown option: '--modle'")),
                badOption.err());
        assertTrue(badOption.err().contains("--model"), "suggests the option: " + badOption.err());
    }

    @Test
    void helpAndVersionAnswerOnStdoutWithExitCode0() throws Exception {
        Result help = clipguard("--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String command :
                List.of("run", "score", "embed-policy", "publish-policy", "tune", "topics", "replay-dead-letters")) {
            assertTrue(help.out().contains("  " + command + " "), "lists " + command + ": " + help.out());
        }
        assertTrue(help.out().contains("Exit codes:"), help.out());
        Result scoreHelp = clipguard("score", "--help");
        assertEquals(0, scoreHelp.exitCode(), scoreHelp.err());
        assertTrue(scoreHelp.out().contains("(default: pytorch)"), "options say their defaults: " + scoreHelp.out());
        Result version = clipguard("--version");
        assertEquals(0, version.exitCode(), version.err());
        assertTrue(version.out().startsWith("clipguard "), version.out());
        Result completion = clipguard("generate-completion");
        assertEquals(0, completion.exitCode(), completion.err());
        assertTrue(completion.out().contains("complete -F"), "a bash completion script");
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

    @Test
    void topicsApplyBringsTheClusterInLineAndTheJobRefusesToStartOnATopicThatDiffers() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String prefix = "tac-" + UUID.randomUUID().toString().substring(0, 8);
        Path config = config(prefix, bootstrap);
        Files.writeString(
                config,
                Files.readString(config) + "clipguard.topics.file=" + topicsFile() + "\n"
                        + "clipguard.model.dir=" + MODEL + "\nclipguard.policy.file=" + POLICY + "\n"
                        + "clipguard.management.port=0\n");

        Result before = clipguard("topics", "check", "--config", config.toString());
        assertEquals(1, before.exitCode(), before.err());
        assertTrue(before.out().contains(prefix + "-uploads (uploads): does not exist"), before.out());

        Result applied = clipguard("topics", "apply", "--config", config.toString());
        assertEquals(0, applied.exitCode(), applied.out() + applied.err());
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            assertEquals(
                    3,
                    admin.describeTopics(List.of(prefix + "-uploads"))
                            .allTopicNames()
                            .get()
                            .get(prefix + "-uploads")
                            .partitions()
                            .size());
            ConfigResource uploads = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "-uploads");
            assertEquals(
                    "22020096",
                    admin.describeConfigs(List.of(uploads))
                            .all()
                            .get()
                            .get(uploads)
                            .get("max.message.bytes")
                            .value());

            // someone lowers the uploads topic's limit to Kafka's default: inline photographs would not fit
            admin.incrementalAlterConfigs(Map.of(
                            uploads,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "1048588"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        Result refused = clipguard("run", "--config", config.toString());
        assertEquals(2, refused.exitCode(), refused.out() + refused.err());
        assertTrue(
                refused.err().contains(prefix + "-uploads (uploads): max.message.bytes is 1048588, the spec 22020096"),
                refused.err());
        assertTrue(refused.err().contains("clipguard topics apply"), "says how to fix it: " + refused.err());

        Result fixed = clipguard("topics", "apply", "--config", config.toString());
        assertEquals(0, fixed.exitCode(), fixed.out() + fixed.err());
        assertTrue(fixed.out().contains("fixing " + prefix + "-uploads (uploads): max.message.bytes"), fixed.out());
        assertEquals(
                0, clipguard("topics", "check", "--config", config.toString()).exitCode());
    }

    @Test
    void replayDeadLettersSendsTheOriginalEventsOfTheGivenReasonAgain() throws Exception {
        String bootstrap = SharedKafka.get().bootstrapServers();
        String prefix = "rdl-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(prefix + "-uploads", 1, (short) 1),
                            new NewTopic(prefix + "-dlq", 1, (short) 1)))
                    .all()
                    .get();
        }
        Path config = config(prefix, bootstrap);
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(client, new ByteArraySerializer(), new ByteArraySerializer());
                Serde<ModerationError> errors = AvroSerdes.forClass(
                        ModerationError.class,
                        Map.of(
                                "schema.registry.url",
                                LocalSchemaRegistry.shared().url().toString()),
                        null)) {
            for (int i = 0; i < 3; i++) {
                ProducerRecord<byte[], byte[]> event =
                        new ProducerRecord<>(prefix + "-uploads", ("key-" + i).getBytes(), ("event-" + i).getBytes());
                event.headers().add("trace", ("t" + i).getBytes());
                producer.send(event).get();
            }
            // offsets 0 and 1 failed on the encoder (0 twice), 2 was undecodable, 99 names an event not there
            List<ModerationError> deadLetters = List.of(
                    deadLetter(prefix, 0, "ENCODER_FAILED"),
                    deadLetter(prefix, 1, "ENCODER_FAILED"),
                    deadLetter(prefix, 2, "IMAGE_UNDECODABLE"),
                    deadLetter(prefix, 0, "ENCODER_FAILED"),
                    deadLetter(prefix, 99, "FETCH_FAILED"));
            for (ModerationError error : deadLetters) {
                producer.send(new ProducerRecord<>(
                                prefix + "-dlq", null, errors.serializer().serialize(prefix + "-dlq", error)))
                        .get();
            }
        }
        Result dry = clipguard(
                "replay-dead-letters", "--config", config.toString(), "--reason", "ENCODER_FAILED", "--dry-run");
        assertEquals(0, dry.exitCode(), dry.out() + dry.err());
        assertTrue(dry.out().contains("would replay 2 uploads"), dry.out());
        assertEquals(3, readAllBytes(bootstrap, prefix + "-uploads").size(), "a dry run sends nothing");

        Result replayed = clipguard("replay-dead-letters", "--config", config.toString(), "--reason", "ENCODER_FAILED");
        assertEquals(0, replayed.exitCode(), replayed.out() + replayed.err());
        assertTrue(replayed.out().contains("replayed 2 uploads to " + prefix + "-uploads"), replayed.out());
        List<ConsumerRecord<byte[], byte[]>> uploads = readAllBytes(bootstrap, prefix + "-uploads");
        assertEquals(5, uploads.size(), "each matching event once, though two dead letters name offset 0");
        Map<String, ConsumerRecord<byte[], byte[]>> replayedByKey = new java.util.HashMap<>();
        uploads.subList(3, 5).forEach(r -> replayedByKey.put(new String(r.key()), r));
        for (int i = 0; i < 2; i++) {
            ConsumerRecord<byte[], byte[]> again = replayedByKey.get("key-" + i);
            assertTrue(again != null, "key-" + i + " replayed");
            assertEquals("event-" + i, new String(again.value()));
            assertEquals("t" + i, new String(again.headers().lastHeader("trace").value()));
            assertEquals(
                    prefix + "-uploads[0]@" + i,
                    new String(again.headers()
                            .lastHeader("clipguard.replayed-from")
                            .value()));
        }

        Result gone = clipguard("replay-dead-letters", "--config", config.toString(), "--reason", "FETCH_FAILED");
        assertEquals(1, gone.exitCode(), gone.out() + gone.err());
        assertTrue(gone.out().contains("gone: " + prefix + "-uploads[0]@99"), gone.out());
        assertEquals(5, readAllBytes(bootstrap, prefix + "-uploads").size());
    }

    private static ModerationError deadLetter(String prefix, long offset, String reason) {
        return ModerationError.newBuilder()
                .setUploadId("u-" + offset)
                .setReason(reason)
                .setMessage("test")
                .setSourceTopic(prefix + "-uploads")
                .setSourcePartition(0)
                .setSourceOffset(offset)
                .setFailedAt(Instant.now())
                .build();
    }

    /** A config naming the prefix's topics on the shared broker and registry. */
    private Path config(String prefix, String bootstrap) throws Exception {
        Properties settings = new Properties();
        settings.setProperty("application.id", prefix);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty(
                "schema.registry.url", LocalSchemaRegistry.shared().url().toString());
        for (String role : List.of("uploads", "scored", "flagged", "dlq", "shadow")) {
            settings.setProperty("clipguard.topic." + role, prefix + "-" + role);
        }
        Path config = work.resolve(prefix + ".properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            settings.store(out, "command line test");
        }
        return config;
    }

    /** The shipped topics file, with the single test broker's replication factor. */
    private Path topicsFile() throws Exception {
        Path file = work.resolve("topics.yaml");
        Files.writeString(
                file,
                Files.readString(Path.of("deploy/kubernetes/base/topics.yaml"))
                        .replaceAll("replication-factor: \\d+", "replication-factor: 1")
                        .replaceAll("min.insync.replicas: \\d+", "min.insync.replicas: 1")
                        .replaceAll("partitions: \\d+", "partitions: 3"));
        return file;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAllBytes(String bootstrap, String topic) {
        Properties settings = new Properties();
        settings.setProperty("bootstrap.servers", bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
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
