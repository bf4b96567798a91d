package io.clipguard.topology;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.review.AuditEntry;
import io.clipguard.review.Item;
import io.clipguard.review.QueueDepth;
import io.clipguard.review.ReviewReply;
import io.clipguard.review.ReviewRequest;
import io.clipguard.serde.JsonSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The review console's claims processor: flagged results and consoles' requests meet in one processor
 * per partition, which keeps every queue's items in state stores and hands them out.
 *
 * <pre>
 *   flagged (by queue) --+
 *                        +--> claims processor --> replies (by console)
 *   requests (by queue) -+        |   |   +------> reviews (by upload id: decisions, tombstones on undo)
 *                                 |   +----------> audit
 *                                 +--------------> queues (each queue's depth, every second when changed)
 * </pre>
 *
 * With {@code exactly_once_v2} a request's reply, decision, audit line and the store's change commit
 * together: a decision is on the reviews topic once, and a console that dies mid-request loses nothing.
 */
public final class ReviewTopology {

    static final String ITEMS = "review-items";
    static final String WAITING = "review-waiting";
    static final String CLAIMS = "review-claims";
    static final String DEPTHS = "review-depths";
    static final String REPLIES = "replies-sink";
    static final String REVIEWS = "reviews-sink";
    static final String AUDIT = "audit-sink";
    static final String QUEUES = "queues-sink";

    private ReviewTopology() {}

    /**
     * @param results the flagged results' deserialiser
     * @param decisions the review decisions' serde
     * @param lease how long a claim holds an item
     * @param undo how long a decision can be withdrawn
     * @param keepDecided how long a decided item is remembered (longer than the flagged topic keeps it)
     */
    public static Topology build(
            ReviewTopics topics,
            Deserializer<ModerationResult> results,
            Serde<ReviewDecision> decisions,
            Duration lease,
            Duration undo,
            Duration keepDecided) {
        Topology topology = new Topology();
        topology.addSource("flagged-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.flagged());
        topology.addSource("requests-source", new StringDeserializer(), new ByteArrayDeserializer(), topics.requests());
        topology.addProcessor(
                "claims",
                () -> new ReviewProcessor(
                        topics.requests(), results, new JsonSerde<>(ReviewRequest.class), lease, undo, keepDecided),
                "flagged-source",
                "requests-source");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(ITEMS), Serdes.String(), new JsonSerde<>(Item.class)),
                "claims");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(WAITING), Serdes.String(), Serdes.String()),
                "claims");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CLAIMS), Serdes.String(), Serdes.String()),
                "claims");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(DEPTHS), Serdes.String(), new JsonSerde<>(QueueDepth.class)),
                "claims");
        topology.addSink(
                REPLIES, topics.replies(), new StringSerializer(), new JsonSerde<>(ReviewReply.class), "claims");
        topology.addSink(REVIEWS, topics.reviews(), new StringSerializer(), decisions.serializer(), "claims");
        topology.addSink(AUDIT, topics.audit(), new StringSerializer(), new JsonSerde<>(AuditEntry.class), "claims");
        topology.addSink(QUEUES, topics.queues(), new StringSerializer(), new JsonSerde<>(QueueDepth.class), "claims");
        return topology;
    }
}
