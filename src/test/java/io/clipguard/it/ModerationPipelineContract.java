package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.SampleImages;
import io.clipguard.local.SampleImages.Sample;
import io.clipguard.local.UploadProducer;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The moderation job end to end against a real broker, the real schema registry and the real tiny
 * model: every upload, good or broken, gets exactly one outcome, and what is flagged is exactly what
 * crosses the policy's thresholds. Subclasses supply the broker.
 */
abstract class ModerationPipelineContract {

    private static final Path MODEL = Path.of("models/tiny-clip");
    private static final Path POLICY = Path.of("deploy/policies/tiny-shapes.yaml");

    @TempDir
    Path stateDir;

    abstract String bootstrapServers() throws Exception;

    @Test
    void everyUploadGetsExactlyOneOutcomeAndFlaggedIsWhatCrossesThresholds() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String uploads = "uploads-" + run;
        String scored = "scored-" + run;
        String flagged = "flagged-" + run;
        String dlq = "dlq-" + run;
        createTopics(uploads, scored, flagged, dlq);
        String registry = LocalSchemaRegistry.shared().url().toString();

        List<Sample> samples = SampleImages.load(MODEL.resolve("samples"));
        Map<String, String> expectedReasons = new HashMap<>();
        try (ModerationApp app =
                        ModerationApp.start(ConfigLoader.from(settings(run, registry, uploads, scored, flagged, dlq)));
                UploadProducer producer = new UploadProducer(bootstrapServers(), registry, uploads);
                OutcomeReader reader = new OutcomeReader(bootstrapServers(), registry, scored, flagged, dlq)) {
            app.awaitRunning(Duration.ofSeconds(60));
            for (int i = 0; i < samples.size(); i++) {
                byte[] image = Files.readAllBytes(samples.get(i).file());
                producer.send(UploadProducer.inline("good-" + i, image, "image/png"), i % 5 != 0);
                if (i % 10 == 3) {
                    sendBroken(producer, i, samples.get(i).file(), image, expectedReasons);
                }
            }
            producer.sendRaw("junk", "not an avro event".getBytes(StandardCharsets.UTF_8));
            producer.sendRaw("unknown-id", new byte[] {0, 0, 0x7f, 0x7f, 0x7f, 2, 4, 6});
            producer.flush();
            // events that cannot be read are dead-lettered under their record key
            expectedReasons.put("junk", "MALFORMED_EVENT");
            expectedReasons.put("unknown-id", "UNKNOWN_SCHEMA");
            int expected = samples.size() + expectedReasons.size();

            OutcomeReader.Outcomes outcomes = reader.awaitDecided(expected, Duration.ofSeconds(180));
            outcomes = reader.drain(Duration.ofSeconds(2));

            assertEquals(expected, outcomes.decided(), "exactly one outcome per upload");
            Map<String, ModerationResult> results = byKey(outcomes.scored());
            assertEquals(samples.size(), results.size(), "no upload scored twice");
            for (int i = 0; i < samples.size(); i++) {
                assertTrue(results.containsKey("good-" + i), "good-" + i + " was scored");
            }
            assertDeadLetters(outcomes.deadLetters(), expectedReasons, uploads);
            assertFlaggedIsExactlyWhatCrossesThresholds(outcomes);
            assertSameScoresAsOutsideKafka(app, samples, results);
            assertRedStarsAreBlocked(samples, results);
            assertEveryResultCarriesItsImagesPdqHash(samples, results);
        }
    }

    /** The hash on a scored event is the PDQ hash of the upload's pixels, from the pipeline's one decode. */
    private static void assertEveryResultCarriesItsImagesPdqHash(
            List<Sample> samples, Map<String, ModerationResult> results) throws Exception {
        for (int i = 0; i < samples.size(); i++) {
            java.awt.image.BufferedImage image =
                    javax.imageio.ImageIO.read(samples.get(i).file().toFile());
            io.clipguard.image.Rgb8 pixels = io.clipguard.image.Rgb8.of(image);
            io.clipguard.pdq.PdqHasher.Hashed expected =
                    io.clipguard.pdq.PdqHasher.hash(pixels.widthPx(), pixels.heightPx(), pixels.rgb());
            ModerationResult result = results.get("good-" + i);
            assertEquals(expected.hash().hex(), result.getPdqHash(), "good-" + i);
            assertEquals(expected.quality(), result.getPdqQuality(), "good-" + i);
        }
    }

    private static void sendBroken(
            UploadProducer producer, int i, Path file, byte[] image, Map<String, String> reasons) {
        if (file.toString().endsWith(".png")) {
            // a PNG cut in half loses its image data; a cut JPEG still decodes, greyed out at the bottom
            String truncated = "truncated-" + i;
            producer.send(UploadProducer.inline(truncated, Arrays.copyOf(image, image.length / 2), "image/png"), true);
            reasons.put(truncated, "IMAGE_UNDECODABLE");
        }
        String random = "random-" + i;
        byte[] noise = new byte[2048];
        new Random(i).nextBytes(noise);
        producer.send(UploadProducer.inline(random, noise, "image/jpeg"), true);
        reasons.put(random, "UNSUPPORTED_FORMAT");
        String missing = "missing-" + i;
        producer.send(UploadProducer.inline(missing, null, null), true);
        reasons.put(missing, "MISSING_IMAGE");
        String empty = "empty-" + i;
        producer.send(UploadProducer.inline(empty, new byte[0], "image/png"), false);
        reasons.put(empty, "IMAGE_EMPTY");
    }

    private static void assertDeadLetters(
            List<ConsumerRecord<String, ModerationError>> deadLetters,
            Map<String, String> expectedReasons,
            String uploads) {
        Map<String, String> reasons = deadLetters.stream()
                .filter(record -> record.value().getUploadId() != null)
                .collect(Collectors.toMap(record -> record.value().getUploadId(), record -> record.value()
                        .getReason()));
        assertEquals(expectedReasons, reasons);
        assertTrue(
                deadLetters.stream().allMatch(record -> record.value().getUploadId() != null),
                "every event here had a key, and a dead letter carries it");
        for (ConsumerRecord<String, ModerationError> record : deadLetters) {
            assertEquals(uploads, record.value().getSourceTopic());
            assertTrue(record.value().getSourceOffset() >= 0);
            assertTrue(!record.value().getMessage().isBlank());
        }
    }

    private static void assertFlaggedIsExactlyWhatCrossesThresholds(OutcomeReader.Outcomes outcomes) {
        Set<String> shouldBeFlagged = new java.util.HashSet<>();
        for (ConsumerRecord<String, ModerationResult> record : outcomes.scored()) {
            ModerationResult result = record.value();
            boolean crosses = false;
            for (LabelScore label : result.getLabels()) {
                assertEquals(
                        label.getScore() >= label.getThreshold(), label.getFired(), "fired iff score >= threshold");
                crosses |= label.getFired() && !label.getAction().equals("allow");
            }
            assertEquals(crosses, result.getFlagged(), "flagged iff a non-allow label fired: " + result);
            if (crosses) {
                shouldBeFlagged.add(result.getUploadId());
            }
        }
        Set<String> flagged =
                outcomes.flagged().stream().map(r -> r.value().getUploadId()).collect(Collectors.toSet());
        assertEquals(shouldBeFlagged, flagged);
        assertEquals(shouldBeFlagged.size(), outcomes.flagged().size(), "each flagged upload written once");
        outcomes.flagged().forEach(record -> assertEquals(record.value().getReviewQueue(), record.key()));
    }

    private static void assertSameScoresAsOutsideKafka(
            ModerationApp app, List<Sample> samples, Map<String, ModerationResult> results) throws Exception {
        for (int i = 0; i < samples.size(); i += 7) {
            UploadedImage upload = UploadProducer.inline(
                    "direct-" + i, Files.readAllBytes(samples.get(i).file()), "image/png");
            Outcome direct = app.runtime().moderator().moderate(upload, new SourceCoordinates("direct", 0, i));
            ModerationResult viaKafka = results.get("good-" + i);
            List<LabelScore> expected = ((Outcome.Scored) direct).result().getLabels();
            for (int label = 0; label < expected.size(); label++) {
                assertEquals(
                        expected.get(label).getScore(),
                        viaKafka.getLabels().get(label).getScore(),
                        1e-6);
            }
        }
    }

    private static void assertRedStarsAreBlocked(List<Sample> samples, Map<String, ModerationResult> results) {
        int redStars = 0;
        int blocked = 0;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).colorAndShape().equals("red star")) {
                redStars++;
                blocked += results.get("good-" + i).getAction().equals("block") ? 1 : 0;
            }
        }
        assertTrue(redStars > 0, "the samples include red stars");
        assertTrue(blocked >= Math.ceil(0.8 * redStars), blocked + " of " + redStars + " red stars blocked");
    }

    private static <V> Map<String, V> byKey(List<ConsumerRecord<String, V>> records) {
        return records.stream().collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> {
            throw new AssertionError("key written twice: " + a);
        }));
    }

    private void createTopics(String uploads, String... outputs) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            List<NewTopic> topics = new java.util.ArrayList<>();
            topics.add(new NewTopic(uploads, 3, (short) 1));
            Arrays.stream(outputs).map(name -> new NewTopic(name, 1, (short) 1)).forEach(topics::add);
            admin.createTopics(topics).all().get();
        }
    }

    private Properties settings(String run, String registry, String uploads, String scored, String flagged, String dlq)
            throws Exception {
        Properties settings = new Properties();
        settings.setProperty("application.id", "it-" + run);
        settings.setProperty("bootstrap.servers", bootstrapServers());
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", stateDir.toString());
        settings.setProperty("commit.interval.ms", "200");
        settings.setProperty("clipguard.topic.uploads", uploads);
        settings.setProperty("clipguard.topic.scored", scored);
        settings.setProperty("clipguard.topic.flagged", flagged);
        settings.setProperty("clipguard.topic.dlq", dlq);
        settings.setProperty("clipguard.model.dir", MODEL.toString());
        settings.setProperty("clipguard.management.port", "0"); // several jobs share this machine
        settings.setProperty("clipguard.policy.file", POLICY.toString());
        return settings;
    }
}
