package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.pipeline.ModelIdentity;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.OutcomeFitter;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.clipguard.serde.AvroSerdeException;
import io.clipguard.testing.PlainAvroSerde;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The topology's wiring, for both the per-record and the batched topology, with fake image stages: the first byte of an "image" is its colour, the
 * fake encoder maps colours to axis vectors, and the policy flags red (block) and green (review).
 */
abstract class ModerationTopologyContract {

    private static final byte RED = 0;
    private static final byte GREEN = 1;
    private static final byte BLUE = 2;
    private static final byte UNDECODABLE = 9;
    /** An image on which the decoder fails in a way nobody foresaw: a bug. */
    private static final byte BUGGY = 7;

    private static final byte TOO_LARGE_FOR_THE_HEAP = 11;

    private final Serde<UploadedImage> uploads = PlainAvroSerde.of(UploadedImage.class);

    /** Metrics whose recording of one dead-letter reason throws: a step after moderate failing on one outcome. */
    static final class FailingMetrics implements io.clipguard.metrics.PipelineMetrics {
        volatile String failOnDeadLetterReason;

        @Override
        public void deadLettered(String reason) {
            if (reason.equals(failOnDeadLetterReason)) {
                throw new IllegalStateException("a bug in recording " + reason);
            }
        }
    }

    /** What the topology under test records its outcomes with. */
    final FailingMetrics metrics = new FailingMetrics();

    TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<String, ModerationResult> scored;
    private TestOutputTopic<String, ModerationResult> flagged;
    private TestOutputTopic<String, ModerationError> dlq;
    private RuntimeException transientFailure;

    @BeforeEach
    void start() {
        Policy policy = new Policy(
                "colours",
                "7",
                DecisionRule.COSINE_MARGIN,
                List.of(
                        new Label("red", "", List.of("red"), Action.BLOCK, 3, 0.5, "urgent"),
                        new Label("green", "", List.of("green"), Action.REVIEW, 2, 0.5, "general"),
                        new Label("blue", "", List.of("blue"), Action.ALLOW, 1, 0.5, "none")));
        EmbeddedPolicy embedded = new EmbeddedPolicy(policy, "fake-model", 100f, List.of(axis(0), axis(1), axis(2)));
        Moderator moderator = new Moderator(
                new UploadImageSource(1000, java.util.Optional.empty()),
                ModerationTopologyContract::decode,
                image -> new float[] {image.getRGB(0, 0) & 0xFF},
                batch -> batch.stream().map(pixels -> axis((int) pixels[0])).toArray(float[][]::new),
                () -> embedded,
                new ModelIdentity("fake-model", "1"),
                Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));
        Serde<UploadedImage> reader = Serdes.serdeFrom(uploads.serializer(), (topic, bytes) -> {
            if (transientFailure != null) {
                throw transientFailure;
            }
            return uploads.deserializer().deserialize(topic, bytes);
        });
        ModerationTopics topics = ModerationTopics.of(
                TopicNames.DEFAULTS,
                reader,
                PlainAvroSerde.of(ModerationResult.class),
                PlainAvroSerde.of(ModerationError.class));
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LastResortDeadLetters.class.getName());
        config.put(LastResortDeadLetters.DLQ_TOPIC_CONFIG, "moderation.dlq");
        config.put(LastResortDeadLetters.SERDE_CLASS_CONFIG, PlainAvroSerde.Named.class.getName());
        config.put(LastResortDeadLetters.PER_RECORD_CONFIG, String.valueOf(!retriesInPlace()));
        driver = new TopologyTestDriver(build(topics, moderator, e -> e instanceof IllegalStateException), config);
        input = driver.createInputTopic(
                "uploads", Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        scored = driver.createOutputTopic(
                "moderation.scored",
                Serdes.String().deserializer(),
                PlainAvroSerde.of(ModerationResult.class).deserializer());
        flagged = driver.createOutputTopic(
                "moderation.flagged",
                Serdes.String().deserializer(),
                PlainAvroSerde.of(ModerationResult.class).deserializer());
        dlq = driver.createOutputTopic(
                "moderation.dlq",
                Serdes.String().deserializer(),
                PlainAvroSerde.of(ModerationError.class).deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** The topology under test. */
    abstract Topology build(ModerationTopics topics, Moderator moderator, Predicate<RuntimeException> isTransient);

    /** Waits until every piped upload has its outcome forwarded. */
    abstract void settle();

    private long nextOffset;

    private void pipe(byte[] key, byte[] value) {
        send(key, value);
        settle();
    }

    /** Sends an event; the topology may read it again from its topic, where it stays. */
    private void send(byte[] key, byte[] value) {
        sent(new io.clipguard.pipeline.SourceCoordinates("uploads", 0, nextOffset++), key, value);
        input.pipeInput(key, value);
    }

    /** The event sent at {@code at}, for a topology that reads events again from their topic. */
    void sent(io.clipguard.pipeline.SourceCoordinates at, byte[] key, byte[] value) {}

    private static float[] axis(int index) {
        float[] vector = new float[3];
        vector[index] = 1;
        return vector;
    }

    private static BufferedImage decode(byte[] bytes) throws RejectedUploadException {
        if (bytes[0] == BUGGY) {
            throw new IllegalStateException("a bug in the decoder");
        }
        if (bytes[0] == TOO_LARGE_FOR_THE_HEAP) {
            throw new OutOfMemoryError("Java heap space");
        }
        if (bytes[0] == UNDECODABLE) {
            throw new RejectedUploadException(Reason.IMAGE_UNDECODABLE, "not an image");
        }
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, bytes[0]);
        return image;
    }

    private byte[] event(String uploadId, byte colour) {
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId(uploadId)
                .setUploadedAt(Instant.parse("2026-11-22T23:59:59Z"))
                .setImageBytes(ByteBuffer.wrap(new byte[] {colour}))
                .setAttributes(Map.of("surface", "profile"))
                .build();
        return uploads.serializer().serialize("uploads", upload);
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void scoresEveryUploadAndKeysResultsByUploadId() {
        pipe(key("u1"), event("u1", BLUE));
        pipe(key("u2"), event("u2", RED));
        List<TestRecord<String, ModerationResult>> results = scored.readRecordsToList();
        assertEquals(List.of("u1", "u2"), results.stream().map(TestRecord::key).toList());
        ModerationResult blue = results.get(0).value();
        assertFalse(blue.getFlagged());
        assertEquals("allow", blue.getAction());
        assertEquals("7", blue.getPolicyVersion());
        assertEquals("fake-model", blue.getModelId());
        assertEquals(3, blue.getLabels().size());
        assertEquals(Map.of("surface", "profile"), blue.getAttributes());
        assertTrue(dlq.isEmpty());
    }

    @Test
    void flaggedUploadsAreAlsoWrittenKeyedByReviewQueue() {
        pipe(key("u1"), event("u1", RED));
        pipe(key("u2"), event("u2", GREEN));
        pipe(key("u3"), event("u3", BLUE));
        List<TestRecord<String, ModerationResult>> queued = flagged.readRecordsToList();
        assertEquals(
                List.of("urgent", "general"),
                queued.stream().map(TestRecord::key).toList());
        assertEquals("block", queued.get(0).value().getAction());
        assertEquals("red", queued.get(0).value().getDecidingLabel());
        assertEquals("review", queued.get(1).value().getAction());
        assertEquals(3, scored.readRecordsToList().size());
    }

    @Test
    void acceptsEventsWithNoKeyOrAKeyThatIsNotTheId() {
        pipe(null, event("u1", BLUE));
        pipe(key("something-else"), event("u2", BLUE));
        assertEquals(
                List.of("u1", "u2"),
                scored.readRecordsToList().stream().map(TestRecord::key).toList());
    }

    @Test
    void undecodableImageGoesToTheDeadLetterTopicWithItsCoordinates() {
        pipe(key("ok"), event("ok", BLUE));
        pipe(key("bad"), event("bad", UNDECODABLE));
        TestRecord<String, ModerationError> record = dlq.readRecord();
        assertEquals("bad", record.key());
        assertEquals("IMAGE_UNDECODABLE", record.value().getReason());
        assertEquals("uploads", record.value().getSourceTopic());
        assertEquals(1L, record.value().getSourceOffset());
        assertEquals(1, scored.readRecordsToList().size());
    }

    @Test
    void unreadableEventIsDeadLetteredUnderItsRecordKey() {
        pipe(key("x"), "definitely not avro".getBytes(StandardCharsets.UTF_8));
        pipe(key("y"), new byte[0]);
        List<TestRecord<String, ModerationError>> errors = dlq.readRecordsToList();
        assertEquals(List.of("x", "y"), errors.stream().map(TestRecord::key).toList());
        errors.forEach(error -> {
            assertEquals(error.key(), error.value().getUploadId());
            assertEquals("MALFORMED_EVENT", error.value().getReason());
            assertTrue(error.value().getMessage().contains("upload_id is the record's key"));
        });
        assertTrue(scored.isEmpty());
    }

    @Test
    void unreadableKeylessEventIsDeadLetteredWithoutUploadId() {
        pipe(null, "definitely not avro".getBytes(StandardCharsets.UTF_8));
        TestRecord<String, ModerationError> error = dlq.readRecord();
        assertNull(error.key());
        assertNull(error.value().getUploadId());
        assertEquals("MALFORMED_EVENT", error.value().getReason());
    }

    /** Regression: an upload time in microseconds or at the ends of a long overflowed the latency metric. */
    @Test
    void farFutureAndOverflowingUploadTimesAreScored() {
        long[] uploadedAt = {1_750_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE, -1};
        for (int i = 0; i < uploadedAt.length; i++) {
            UploadedImage upload = UploadedImage.newBuilder()
                    .setUploadId("t" + i)
                    .setUploadedAt(Instant.ofEpochMilli(uploadedAt[i]))
                    .setImageBytes(ByteBuffer.wrap(new byte[] {BLUE}))
                    .build();
            pipe(key("t" + i), uploads.serializer().serialize("uploads", upload));
        }
        List<TestRecord<String, ModerationResult>> results = scored.readRecordsToList();
        assertEquals(
                List.of("t0", "t1", "t2", "t3"),
                results.stream().map(TestRecord::key).toList());
        for (int i = 0; i < uploadedAt.length; i++) {
            assertEquals(uploadedAt[i], results.get(i).value().getUploadedAt().toEpochMilli());
        }
        assertTrue(dlq.isEmpty());
    }

    /** Regression: ids and attributes copied verbatim made outputs over the topic's 1 MB limit. */
    @Test
    void oversizedIdAndAttributesAreCutToFitTheOutputTopics() {
        String hugeId = "u".repeat(1_200_000);
        Map<String, String> attributes = new java.util.HashMap<>();
        for (int i = 0; i < 1500; i++) {
            attributes.put("a" + i, "v".repeat(1000));
        }
        UploadedImage manyAttributes = UploadedImage.newBuilder()
                .setUploadId("many-attributes")
                .setUploadedAt(Instant.EPOCH)
                .setImageBytes(ByteBuffer.wrap(new byte[] {RED}))
                .setAttributes(attributes)
                .build();
        pipe(key("many-attributes"), uploads.serializer().serialize("uploads", manyAttributes));
        UploadedImage hugeIdBlue = UploadedImage.newBuilder()
                .setUploadId(hugeId)
                .setUploadedAt(Instant.EPOCH)
                .setImageBytes(ByteBuffer.wrap(new byte[] {BLUE}))
                .build();
        pipe(key("huge-id"), uploads.serializer().serialize("uploads", hugeIdBlue));
        UploadedImage hugeIdNotAnImage = UploadedImage.newBuilder(hugeIdBlue)
                .setImageBytes(ByteBuffer.wrap(new byte[] {UNDECODABLE}))
                .build();
        pipe(key("huge-id"), uploads.serializer().serialize("uploads", hugeIdNotAnImage));

        List<TestRecord<String, ModerationResult>> results = scored.readRecordsToList();
        assertEquals(2, results.size());
        results.forEach(result -> assertFits(
                result.key(),
                PlainAvroSerde.of(ModerationResult.class).serializer().serialize("t", result.value())));
        ModerationResult cutAttributes = results.get(0).value();
        assertEquals("many-attributes", cutAttributes.getUploadId());
        assertTrue(
                cutAttributes.getAttributes().get(OutcomeFitter.CUT_ATTRIBUTE).contains("dropped"));
        ModerationResult cutId = results.get(1).value();
        assertEquals(results.get(1).key(), cutId.getUploadId());
        assertTrue(cutId.getUploadId().startsWith("uuuu"));
        assertTrue(cutId.getUploadId().endsWith("[cut from 1200000 bytes]"));
        assertTrue(cutId.getAttributes().get(OutcomeFitter.CUT_ATTRIBUTE).contains("upload_id cut"));
        TestRecord<String, ModerationResult> queued = flagged.readRecord();
        assertFits(
                queued.key(),
                PlainAvroSerde.of(ModerationResult.class).serializer().serialize("t", queued.value()));
        TestRecord<String, ModerationError> error = dlq.readRecord();
        assertEquals("IMAGE_UNDECODABLE", error.value().getReason());
        assertFits(
                error.key(),
                PlainAvroSerde.of(ModerationError.class).serializer().serialize("t", error.value()));
        assertTrue(error.value().getMessage().contains("upload_id cut from 1200000 bytes"));
    }

    private static void assertFits(String key, byte[] value) {
        long bytes = key.getBytes(StandardCharsets.UTF_8).length + value.length;
        assertTrue(bytes < OutcomeFitter.KAFKA_DEFAULT_MAX_MESSAGE_BYTES, bytes + " bytes do not fit a 1 MB topic");
    }

    @Test
    void missingImageIsDeadLettered() {
        UploadedImage empty = UploadedImage.newBuilder()
                .setUploadId("e")
                .setUploadedAt(Instant.EPOCH)
                .build();
        pipe(key("e"), uploads.serializer().serialize("uploads", empty));
        assertEquals("MISSING_IMAGE", dlq.readValue().getReason());
    }

    /** True where a transient failure is retried in place; false where it restarts the task. */
    abstract boolean retriesInPlace();

    @Test
    void transientReadFailureIsNeverDeadLettered() {
        transientFailure = new IllegalStateException("registry unreachable");
        if (!retriesInPlace()) {
            assertThrows(StreamsException.class, () -> send(key("u"), event("u", RED)));
            assertTrue(dlq.isEmpty());
            assertTrue(scored.isEmpty());
            return;
        }
        send(key("u"), event("u", RED));
        for (int i = 0; i < 40; i++) {
            driver.advanceWallClockTime(java.time.Duration.ofMillis(5));
        }
        assertTrue(dlq.isEmpty(), "not dead-lettered while the registry is away");
        assertTrue(scored.isEmpty());
        transientFailure = null;
        settle();
        assertEquals("u", scored.readRecord().key(), "scored once the registry answers");
        assertTrue(dlq.isEmpty());
    }

    @Test
    void nonTransientReadFailureIsDeadLettered() {
        transientFailure = new AvroSerdeException(
                AvroSerdeException.Problem.UNKNOWN_SCHEMA_ID, "schema id 99 not found in registry", null);
        pipe(key("u"), event("u", RED));
        assertEquals("UNKNOWN_SCHEMA", dlq.readValue().getReason());
    }

    /** An exception nobody foresaw, on one upload, dead-letters that upload; the partition moves on. */
    @Test
    void anUnforeseenFailureOnOneUploadIsDeadLetteredAndThePartitionMovesOn() {
        pipe(key("bug"), event("bug", BUGGY));
        pipe(key("after"), event("after", BLUE));
        TestRecord<String, ModerationError> error = dlq.readRecord();
        assertEquals("bug", error.key());
        assertEquals("bug", error.value().getUploadId());
        assertEquals("PROCESSING_FAILED", error.value().getReason());
        assertTrue(
                error.value().getMessage().contains("a bug in the decoder"),
                error.value().getMessage());
        assertEquals("uploads", error.value().getSourceTopic());
        assertEquals(0L, error.value().getSourceOffset());
        assertEquals(
                List.of("after"),
                scored.readRecordsToList().stream().map(TestRecord::key).toList());
        assertTrue(dlq.isEmpty(), "one dead letter, not one per try");
    }

    /**
     * Regression: in the per-record mode an image whose decoding ran out of memory every time was
     * retried by restarting the task, for ever: its partition stalled.
     */
    @Test
    void anImageWhoseDecodingAlwaysRunsOutOfMemoryIsDeadLetteredAndThePartitionMovesOn() {
        pipe(key("giant"), event("giant", TOO_LARGE_FOR_THE_HEAP));
        pipe(key("after"), event("after", BLUE));
        TestRecord<String, ModerationError> error = dlq.readRecord();
        assertEquals("giant", error.value().getUploadId());
        assertEquals("IMAGE_TOO_LARGE", error.value().getReason());
        assertEquals(
                List.of("after"),
                scored.readRecordsToList().stream().map(TestRecord::key).toList());
        assertTrue(dlq.isEmpty(), "one dead letter, not one per try");
    }

    /**
     * Regression: a step after the moderate step failing on one outcome was dead-lettered (by the last
     * resort) under the record in context, which in the batched mode is another upload or none.
     */
    @Test
    void aStepAfterModerateFailingOnOneOutcomeDeadLettersThatUpload() {
        metrics.failOnDeadLetterReason = "IMAGE_UNDECODABLE";
        pipe(key("bad"), event("bad", UNDECODABLE));
        pipe(key("after"), event("after", BLUE));
        TestRecord<String, ModerationError> error = dlq.readRecord();
        assertEquals("bad", error.key());
        assertEquals("PROCESSING_FAILED", error.value().getReason());
        assertEquals(0L, error.value().getSourceOffset());
        assertTrue(
                error.value().getMessage().contains("a bug in recording IMAGE_UNDECODABLE"),
                error.value().getMessage());
        assertTrue(dlq.isEmpty(), "one dead letter, for the upload whose outcome failed");
        assertEquals(
                List.of("after"),
                scored.readRecordsToList().stream().map(TestRecord::key).toList());
    }
}
