package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.avro.Timings;
import io.clipguard.review.AuditEntry;
import io.clipguard.review.QueueDepth;
import io.clipguard.review.ReviewReply;
import io.clipguard.review.ReviewRequest;
import io.clipguard.review.Verdict;
import io.clipguard.serde.JsonSerde;
import io.clipguard.testing.PlainAvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The claims processor: flagged uploads in, claims, decisions, undo and queue depths out. */
class ReviewTopologyTest {

    private static final Serde<ModerationResult> RESULTS = PlainAvroSerde.of(ModerationResult.class);
    private static final Serde<ReviewDecision> DECISIONS = PlainAvroSerde.of(ReviewDecision.class);
    private static final ReviewTopics TOPICS =
            new ReviewTopics("flagged", "requests", "replies", "reviews", "queues", "audit");
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration UNDO = Duration.ofSeconds(10);
    private static final Duration KEEP = Duration.ofHours(2);

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> flagged;
    private TestInputTopic<String, byte[]> requests;
    private TestOutputTopic<String, ReviewReply> replies;
    private TestOutputTopic<String, ReviewDecision> reviews;
    private TestOutputTopic<String, AuditEntry> audit;
    private TestOutputTopic<String, QueueDepth> queues;
    private final JsonSerde<ReviewRequest> requestJson = new JsonSerde<>(ReviewRequest.class);

    @BeforeEach
    void start() {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "review-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        driver = new TopologyTestDriver(
                ReviewTopology.build(TOPICS, RESULTS.deserializer(), DECISIONS, LEASE, UNDO, KEEP),
                config,
                Instant.parse("2026-12-04T10:00:00Z"));
        flagged = driver.createInputTopic(
                "flagged", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        requests = driver.createInputTopic(
                "requests", Serdes.String().serializer(), Serdes.ByteArray().serializer());
        replies =
                driver.createOutputTopic("replies", Serdes.String().deserializer(), new JsonSerde<>(ReviewReply.class));
        reviews = driver.createOutputTopic(
                "reviews",
                Serdes.String().deserializer(),
                (topic, bytes) ->
                        bytes == null ? null : DECISIONS.deserializer().deserialize(topic, bytes));
        audit = driver.createOutputTopic("audit", Serdes.String().deserializer(), new JsonSerde<>(AuditEntry.class));
        queues = driver.createOutputTopic("queues", Serdes.String().deserializer(), new JsonSerde<>(QueueDepth.class));
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void twoReviewersGetTheOldestItemsAndNeverTheSame() {
        flag("u2", "nudity", 2_000);
        flag("u1", "nudity", 1_000);
        flag("u3", "violence", 500);

        ReviewReply alice = claim("alice", "nudity");
        ReviewReply bob = claim("bob", "nudity");
        ReviewReply carol = claim("carol", "nudity");

        assertEquals("u1", alice.item().uploadId());
        assertEquals("u2", bob.item().uploadId());
        assertFalse(carol.ok(), "the queue has no third item");
        assertTrue(carol.message().contains("empty"));
        // asking again gives a reviewer the item they hold, not a second one
        assertEquals("u1", claim("alice", "nudity").item().uploadId());
        assertEquals(alice.item().claimId(), claim("alice", "nudity").item().claimId());
    }

    @Test
    void aDecisionIsWrittenOnceWithReviewerAndTimeSpent() {
        flag("u1", "nudity", 1_000);
        ReviewReply claimed = claim("alice", "nudity");
        driver.advanceWallClockTime(Duration.ofSeconds(7));

        ReviewReply decided = decide("alice", claimed, true, "nudity");
        ReviewReply again = decide("alice", claimed, true, "nudity");

        assertTrue(decided.ok());
        assertTrue(again.ok(), "a retried decision is answered, not refused");
        List<ReviewDecision> written = reviews.readValuesToList();
        assertEquals(1, written.size());
        ReviewDecision decision = written.get(0);
        assertEquals("u1", decision.getUploadId());
        assertEquals("alice", decision.getReviewer());
        assertEquals("block", decision.getAction());
        assertEquals(7_000L, decision.getTimeSpentMs());
        assertEquals("nudity", decision.getVerdicts().get(0).getLabel());
        assertTrue(decision.getVerdicts().get(0).getApplies());
        assertEquals(claimed.item().claimId(), decision.getClaimId());
        assertEquals(
                List.of("claim", "decide"),
                audit.readValuesToList().stream().map(AuditEntry::action).toList());
        assertFalse(claim("bob", "nudity").ok(), "a decided item is not handed out again");
    }

    @Test
    void noViolationSaysNoneOfTheScoredLabelsApplies() {
        flag("u1", "nudity", 1_000);
        ReviewReply claimed = claim("alice", "nudity");
        decide("alice", claimed, false, null);
        ReviewDecision decision = reviews.readValue();
        assertEquals("allow", decision.getAction());
        assertEquals(2, decision.getVerdicts().size());
        decision.getVerdicts().forEach(verdict -> assertFalse(verdict.getApplies()));
    }

    @Test
    void anExpiredLeaseReturnsTheItemOnceAndTheFirstReviewerCannotDecideIt() {
        flag("u1", "nudity", 1_000);
        ReviewReply alice = claim("alice", "nudity");
        assertFalse(claim("bob", "nudity").ok(), "held by alice");

        driver.advanceWallClockTime(LEASE);
        ReviewReply bob = claim("bob", "nudity");
        ReviewReply carol = claim("carol", "nudity");

        assertEquals("u1", bob.item().uploadId());
        assertNotEquals(alice.item().claimId(), bob.item().claimId());
        assertFalse(carol.ok(), "the returned item went to one reviewer only");
        ReviewReply late = decide("alice", alice, true, "nudity");
        assertFalse(late.ok());
        assertTrue(late.message().contains("no longer yours"));
        assertTrue(decide("bob", bob, true, "nudity").ok());
        assertEquals(1, reviews.readValuesToList().size());
    }

    @Test
    void undoWithinTheWindowWritesATombstoneAndGivesTheItemBack() {
        flag("u1", "nudity", 1_000);
        ReviewReply claimed = claim("alice", "nudity");
        decide("alice", claimed, true, "nudity");
        driver.advanceWallClockTime(Duration.ofSeconds(3));

        ReviewReply undone = send(request(
                ReviewRequest.Kind.UNDO, "alice", "nudity", "u1", claimed.item().claimId(), null));

        assertTrue(undone.ok(), undone.message());
        List<TestRecord<String, ReviewDecision>> written = reviews.readRecordsToList();
        assertEquals(2, written.size());
        assertEquals("u1", written.get(1).key());
        assertNull(written.get(1).value(), "the withdrawal is a tombstone");
        assertEquals("u1", claim("alice", "nudity").item().uploadId(), "the item is alice's again");
        assertFalse(claim("bob", "nudity").ok());
        assertTrue(decide("alice", claimed, false, null).ok());
        assertEquals(1, reviews.readValuesToList().size());
    }

    @Test
    void undoAfterTheWindowIsRefused() {
        flag("u1", "nudity", 1_000);
        ReviewReply claimed = claim("alice", "nudity");
        decide("alice", claimed, true, "nudity");
        driver.advanceWallClockTime(UNDO.plusSeconds(1));
        ReviewReply undone = send(request(
                ReviewRequest.Kind.UNDO, "alice", "nudity", "u1", claimed.item().claimId(), null));
        assertFalse(undone.ok());
        assertTrue(undone.message().contains("too late"));
        reviews.readValuesToList();
        assertTrue(reviews.isEmpty());
    }

    @Test
    void anotherReviewerCannotDecideOrUndoAClaimTheyDoNotHold() {
        flag("u1", "nudity", 1_000);
        ReviewReply alice = claim("alice", "nudity");
        ReviewReply forged = send(request(
                ReviewRequest.Kind.DECIDE,
                "mallory",
                "nudity",
                "u1",
                alice.item().claimId(),
                verdict(true, "nudity")));
        assertFalse(forged.ok());
        assertTrue(reviews.isEmpty());
    }

    @Test
    void queueDepthsArePublishedWhenTheyChange() {
        flag("u1", "nudity", 1_000);
        flag("u2", "nudity", 2_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        Map<String, QueueDepth> depths = queues.readKeyValuesToMap();
        assertEquals(new QueueDepth("nudity", 2, 0, 1_000), depths.get("nudity"));

        claim("alice", "nudity");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(
                new QueueDepth("nudity", 1, 1, 1_000),
                queues.readKeyValuesToMap().get("nudity"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(queues.isEmpty(), "nothing changed, nothing published");
    }

    @Test
    void hostileRecordsAreSkippedAndTheNextOnesHandled() {
        flagged.pipeInput("nudity", "not avro".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput("nudity", "{\"kind\":\"CLAIM\"".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput("nudity", "{\"kind\":\"STEAL\",\"requestId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        requests.pipeInput("nudity", "{\"kind\":\"CLAIM\",\"requestId\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        flagged.pipeInput("bad\0queue", RESULTS.serializer().serialize("flagged", result("u0", 5)));
        assertTrue(replies.isEmpty());

        flag("u1", "nudity", Long.MAX_VALUE / 1000); // a decided_at far in the future is clamped, not fatal
        assertEquals("u1", claim("alice", "nudity").item().uploadId());
        flag("u1", "nudity", 1_000); // the same upload flagged again (a replay) is not queued twice
        assertFalse(claim("bob", "nudity").ok());
    }

    @Test
    void aLookupAnswersForTheHolderOnlyAndChangesNothing() {
        flag("u1", "nudity", 1_000);
        ReviewReply alice = claim("alice", "nudity");
        audit.readValuesToList();
        ReviewReply own = send(request(
                ReviewRequest.Kind.LOOKUP, "alice", "nudity", null, alice.item().claimId(), null));
        ReviewReply guessed = send(request(
                ReviewRequest.Kind.LOOKUP,
                "alice",
                "nudity",
                null,
                UUID.randomUUID().toString(),
                null));
        ReviewReply other = send(request(
                ReviewRequest.Kind.LOOKUP, "bob", "nudity", null, alice.item().claimId(), null));
        assertTrue(own.ok());
        assertEquals("u1", own.item().uploadId());
        assertFalse(guessed.ok());
        assertFalse(other.ok());
        assertTrue(audit.isEmpty(), "nothing happened");
        assertFalse(claim("bob", "nudity").ok(), "and nothing was claimed by looking");
    }

    @Test
    void aRequestHandledAfterItsConsoleStoppedWaitingChangesNothing() {
        flag("u1", "nudity", 1_000);
        long now = Instant.parse("2026-12-04T10:00:00Z").toEpochMilli();
        ReviewRequest late = new ReviewRequest(
                ReviewRequest.Kind.CLAIM,
                UUID.randomUUID().toString(),
                "console-1",
                "alice",
                "nudity",
                null,
                UUID.randomUUID().toString(),
                null,
                now - 1);
        ReviewReply reply = send(late);
        assertFalse(reply.ok());
        assertTrue(reply.message().contains("too late"));
        assertEquals("u1", claim("bob", "nudity").item().uploadId(), "the item is still free");
    }

    @Test
    void aSecondDifferentDecisionIsRefusedNotReportedAsDone() {
        flag("u1", "nudity", 1_000);
        ReviewReply claimed = claim("alice", "nudity");
        assertTrue(decide("alice", claimed, true, "nudity").ok());
        ReviewReply other = decide("alice", claimed, false, null);
        assertFalse(other.ok());
        assertTrue(other.message().contains("violation: nudity"), other.message());
        assertEquals(1, reviews.readValuesToList().size());
    }

    @Test
    void undoingGivesBackTheItemTakenSinceSoTheReviewerHoldsOne() {
        flag("u1", "nudity", 1_000);
        flag("u2", "nudity", 2_000);
        ReviewReply first = claim("alice", "nudity");
        decide("alice", first, true, "nudity");
        assertEquals("u2", claim("alice", "nudity").item().uploadId());
        send(request(
                ReviewRequest.Kind.UNDO, "alice", "nudity", "u1", first.item().claimId(), null));
        assertEquals("u2", claim("bob", "nudity").item().uploadId(), "u2 went back to the queue");
    }

    @Test
    void decidedItemsAreForgottenOnceTheFlaggedTopicNoLongerHasThem() {
        flag("u1", "nudity", 1_000);
        decide("alice", claim("alice", "nudity"), true, "nudity");
        flag("u1", "nudity", 1_000);
        assertFalse(claim("bob", "nudity").ok(), "a replay within the retention is not queued again");
        driver.advanceWallClockTime(KEEP.plusHours(1));
        flag("u1", "nudity", 1_000);
        assertTrue(claim("bob", "nudity").ok(), "forgotten: the store does not grow for ever");
    }

    @Test
    void anEmptiedQueueIsPublishedAsEmptyOnce() {
        flag("u1", "nudity", 1_000);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        queues.readKeyValuesToMap();
        decide("alice", claim("alice", "nudity"), true, "nudity");
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(
                new QueueDepth("nudity", 0, 0, 0), queues.readKeyValuesToMap().get("nudity"));
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertTrue(queues.isEmpty());
    }

    private void flag(String uploadId, String queue, long decidedAtMs) {
        flagged.pipeInput(queue, RESULTS.serializer().serialize("flagged", result(uploadId, decidedAtMs)));
    }

    private ReviewReply claim(String reviewer, String queue) {
        return send(request(
                ReviewRequest.Kind.CLAIM,
                reviewer,
                queue,
                null,
                UUID.randomUUID().toString(),
                null));
    }

    private ReviewReply decide(String reviewer, ReviewReply claimed, boolean violation, String label) {
        return send(request(
                ReviewRequest.Kind.DECIDE,
                reviewer,
                claimed.item().queue(),
                claimed.item().uploadId(),
                claimed.item().claimId(),
                verdict(violation, label)));
    }

    private static Verdict verdict(boolean violation, String label) {
        return new Verdict(violation, label, List.of("nudity", "violence"), null, "p", "1");
    }

    private static ReviewRequest request(
            ReviewRequest.Kind kind, String reviewer, String queue, String uploadId, String claimId, Verdict verdict) {
        return new ReviewRequest(
                kind, UUID.randomUUID().toString(), "console-1", reviewer, queue, uploadId, claimId, verdict, 0);
    }

    private ReviewReply send(ReviewRequest request) {
        requests.pipeInput(request.queue(), requestJson.serialize("requests", request));
        TestRecord<String, ReviewReply> reply = replies.readRecord();
        assertEquals("console-1", reply.key());
        assertEquals(request.requestId(), reply.value().requestId());
        return reply.value();
    }

    private static ModerationResult result(String uploadId, long decidedAtMs) {
        return ModerationResult.newBuilder()
                .setUploadId(uploadId)
                .setFlagged(true)
                .setAction("review")
                .setLabels(List.of())
                .setModelId("m")
                .setModelVersion("1")
                .setPolicyId("p")
                .setPolicyVersion("1")
                .setUploadedAt(Instant.EPOCH)
                .setDecidedAt(Instant.ofEpochMilli(decidedAtMs))
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0))
                .build();
    }
}
