package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.ModerationResult;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.SampleImages;
import io.clipguard.local.SampleImages.Sample;
import io.clipguard.local.UploadProducer;
import io.clipguard.reload.PolicyHolder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload on a real broker with the real tiny model: a threshold edit published to the compacted
 * policy topic changes the decisions of later uploads without a restart; broken policies are
 * rejected and the running one keeps deciding; a shadow policy's differing decisions reach the shadow
 * topic.
 */
class PolicyHotReloadIT {

    private static final Path MODEL = Path.of("models/tiny-clip");
    private static final Path POLICY = Path.of("deploy/policies/tiny-shapes.yaml");
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String CROSS_AT_HALF = "threshold: 0.5\n    queue: general";
    private static final String CROSS_ALWAYS = "threshold: 0.0\n    queue: general";

    @TempDir
    Path dir;

    @Test
    void aThresholdEditOnThePolicyTopicChangesLaterDecisionsAndBrokenPoliciesAreRejected() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        String registry = LocalSchemaRegistry.shared().url().toString();
        Map<String, String> topics = withPolicyTopic(jobTopics(run), run);
        createTopics(bootstrap, topics);
        String v1 = Files.readString(POLICY);
        Path shadow = dir.resolve("candidate.yaml");
        Files.writeString(
                shadow,
                v1.replace("id: tiny-shapes", "id: tiny-shapes-candidate").replace(CROSS_AT_HALF, CROSS_ALWAYS));
        List<Sample> samples = SampleImages.load(MODEL.resolve("samples")).subList(0, 8);

        try (ModerationApp app =
                        ModerationApp.start(ConfigLoader.from(settings(run, bootstrap, registry, topics, shadow)));
                UploadProducer uploads = new UploadProducer(bootstrap, registry, topics.get("uploads"));
                OutcomeReader reader = new OutcomeReader(
                        bootstrap, registry, topics.get("scored"), topics.get("shadow"), topics.get("dlq"));
                KafkaProducer<String, String> policies = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
            app.awaitRunning(WAIT);
            PolicyHolder live = app.runtime().policies().live();

            send(uploads, "v1-", samples);
            Map<String, ModerationResult> before = scored(reader.awaitDecided(samples.size(), WAIT));
            assertTrue(
                    before.values().stream().allMatch(r -> r.getPolicyVersion().equals("1")));
            assertTrue(before.values().stream().anyMatch(r -> !crossFired(r)), "some upload is not a cross under v1");

            String v2 = v1.replace("version: \"1\"", "version: \"2\"").replace(CROSS_AT_HALF, CROSS_ALWAYS);
            policies.send(new ProducerRecord<>(topics.get("policy"), "tiny-shapes", v2))
                    .get();
            await(() -> live.get().policy().version().equals("2"), "v2 in force");

            send(uploads, "v2-", samples);
            Map<String, ModerationResult> after = scored(reader.awaitDecided(2 * samples.size(), WAIT));
            for (int i = 0; i < samples.size(); i++) {
                ModerationResult result = after.get("v2-" + i);
                assertEquals("2", result.getPolicyVersion());
                assertEquals("tiny-clip", result.getModelId());
                assertTrue(crossFired(result) && result.getFlagged(), "flagged as a cross under v2: " + result);
            }

            policies.send(new ProducerRecord<>(
                            topics.get("policy"),
                            "tiny-shapes",
                            v2.replace("version: \"2\"", "version: \"3\"").replace(CROSS_ALWAYS, "threshold: 7")))
                    .get();
            policies.send(new ProducerRecord<>(topics.get("policy"), "tiny-shapes", "labels: ["))
                    .get();
            await(() -> live.rejectedCount() == 2, "both broken policies rejected");
            send(uploads, "v3-", samples);
            Map<String, ModerationResult> last = scored(reader.awaitDecided(3 * samples.size(), WAIT));
            for (int i = 0; i < samples.size(); i++) {
                assertEquals("2", last.get("v3-" + i).getPolicyVersion(), "v2 still in force");
                assertTrue(last.get("v3-" + i).getFlagged());
            }

            // the candidate flags every upload as a cross (or a red star): it differs where v1 decided otherwise
            Set<String> expectedShadow = before.entrySet().stream()
                    .filter(e -> !Set.of("cross", "red_star")
                            .contains(String.valueOf(e.getValue().getDecidingLabel())))
                    .map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
            List<ConsumerRecord<String, ModerationResult>> shadowed =
                    reader.drain(Duration.ofSeconds(1)).flagged();
            assertEquals(
                    expectedShadow, shadowed.stream().map(ConsumerRecord::key).collect(Collectors.toSet()));
            shadowed.forEach(
                    r -> assertEquals("tiny-shapes-candidate", r.value().getPolicyId()));
        }
    }

    @Test
    void aPolicyTopicCreatedAfterStartUpIsPickedUp() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        String registry = LocalSchemaRegistry.shared().url().toString();
        Map<String, String> topics = jobTopics(run);
        createTopics(bootstrap, topics);
        Map<String, String> withPolicyTopic = withPolicyTopic(topics, run);
        Properties settings = settings(run, bootstrap, registry, withPolicyTopic, null);
        long start = System.nanoTime();
        try (ModerationApp app = ModerationApp.start(ConfigLoader.from(settings));
                KafkaProducer<String, String> policies = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), new StringSerializer())) {
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(25).toNanos(), "start-up does not wait for it");
            createTopics(bootstrap, Map.of("policy", "policies-" + run));
            String v2 = Files.readString(POLICY).replace("version: \"1\"", "version: \"2\"");
            policies.send(new ProducerRecord<>("policies-" + run, "tiny-shapes", v2))
                    .get();
            await(() -> app.runtime().policy().policy().version().equals("2"), "v2 in force");
        }
    }

    private static boolean crossFired(ModerationResult result) {
        return result.getLabels().stream().anyMatch(label -> label.getLabel().equals("cross") && label.getFired());
    }

    private static void send(UploadProducer producer, String prefix, List<Sample> samples) throws Exception {
        for (int i = 0; i < samples.size(); i++) {
            producer.send(
                    UploadProducer.inline(
                            prefix + i, Files.readAllBytes(samples.get(i).file()), "image/png"),
                    true);
        }
        producer.flush();
    }

    private static Map<String, ModerationResult> scored(OutcomeReader.Outcomes outcomes) {
        return outcomes.scored().stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for: " + what);
            Thread.sleep(50);
        }
    }

    private static void createTopics(String bootstrap, Map<String, String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.entrySet().stream()
                            .map(topic -> new NewTopic(topic.getValue(), 1, (short) 1)
                                    .configs(
                                            topic.getKey().equals("policy")
                                                    ? Map.of("cleanup.policy", "compact")
                                                    : Map.of()))
                            .toList())
                    .all()
                    .get();
        }
    }

    private Properties settings(
            String run, String bootstrap, String registry, Map<String, String> topics, Path shadow) {
        Properties settings = new Properties();
        settings.setProperty("application.id", "reload-it-" + run);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", dir.resolve("state").toString());
        settings.setProperty("commit.interval.ms", "200");
        topics.forEach((role, name) -> settings.setProperty("clipguard.topic." + role, name));
        settings.setProperty("clipguard.model.dir", MODEL.toString());
        settings.setProperty("clipguard.management.port", "0"); // several jobs share this machine
        settings.setProperty("clipguard.policy.file", POLICY.toString());
        if (shadow != null) {
            settings.setProperty("clipguard.policy.shadow-file", shadow.toString());
        }
        return settings;
    }

    /** The job's topics for one run, the policy topic left out. */
    private static Map<String, String> jobTopics(String run) {
        return Map.of(
                "uploads", "uploads-" + run,
                "scored", "scored-" + run,
                "flagged", "flagged-" + run,
                "dlq", "dlq-" + run,
                "shadow", "shadow-" + run);
    }

    private static Map<String, String> withPolicyTopic(Map<String, String> topics, String run) {
        Map<String, String> all = new HashMap<>(topics);
        all.put("policy", "policies-" + run);
        return all;
    }
}
