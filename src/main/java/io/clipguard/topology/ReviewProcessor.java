package io.clipguard.topology;

import io.clipguard.avro.LabelVerdict;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.review.ClaimBook;
import io.clipguard.review.Item;
import io.clipguard.review.QueueDepth;
import io.clipguard.review.ReviewRequest;
import io.clipguard.review.Verdict;
import io.clipguard.serde.JsonSerde;
import io.clipguard.serde.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds flagged results and consoles' requests to a {@link ClaimBook} over this task's stores, and
 * writes what each request did: the reply, the decision (or its withdrawal), the audit line. Every
 * second, the depth of each queue that changed.
 */
final class ReviewProcessor implements Processor<String, byte[], String, Object> {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewProcessor.class);
    private static final long LATEST_MS = 9_999_999_999_999L;
    /** What the console accepts as a queue name: a longer one, or one with control characters, is not queued. */
    private static final int MAX_QUEUE_CHARS = 200;

    private final String requestsTopic;
    private final Deserializer<ModerationResult> results;
    private final JsonSerde<ReviewRequest> requests;
    private final Duration lease;
    private final Duration undo;
    private final Duration keepDecided;
    private KeyValueStore<String, QueueDepth> published;
    private ProcessorContext<String, Object> context;
    private ClaimBook book;

    ReviewProcessor(
            String requestsTopic,
            Deserializer<ModerationResult> results,
            JsonSerde<ReviewRequest> requests,
            Duration lease,
            Duration undo,
            Duration keepDecided) {
        this.requestsTopic = requestsTopic;
        this.keepDecided = keepDecided;
        this.results = results;
        this.requests = requests;
        this.lease = lease;
        this.undo = undo;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.book = new ClaimBook(
                new StoredItems(
                        context.getStateStore(ReviewTopology.ITEMS),
                        context.getStateStore(ReviewTopology.WAITING),
                        context.getStateStore(ReviewTopology.CLAIMS)),
                lease,
                undo);
        this.published = context.getStateStore(ReviewTopology.DEPTHS);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::publishDepths);
        context.schedule(Duration.ofHours(1), PunctuationType.WALL_CLOCK_TIME, this::forgetOldDecisions);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        RecordMetadata from = context.recordMetadata().orElseThrow();
        if (record.value() == null) {
            return;
        }
        if (from.topic().equals(requestsTopic)) {
            request(record, from);
        } else {
            flagged(record, from);
        }
    }

    private void flagged(Record<String, byte[]> record, RecordMetadata from) {
        ModerationResult result;
        try {
            result = results.deserialize(from.topic(), record.value());
        } catch (SchemaRegistryUnavailableException e) {
            throw e; // not the record's fault: the task fails and is tried again
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}[{}]@{}: not a flagged result, not queued for review: {}",
                    from.topic(),
                    from.partition(),
                    from.offset(),
                    e.getMessage());
            return;
        }
        String queue = record.key() != null ? record.key() : Objects.toString(result.getReviewQueue(), null);
        if (queue == null
                || queue.isEmpty()
                || queue.length() > MAX_QUEUE_CHARS
                || queue.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            LOG.warn(
                    "{}[{}]@{}: upload {} has no usable review queue, not queued for review",
                    from.topic(),
                    from.partition(),
                    from.offset(),
                    result.getUploadId());
            return;
        }
        long flaggedAt = Math.max(0, Math.min(LATEST_MS, result.getDecidedAt().toEpochMilli()));
        book.flagged(
                Item.waiting(result.getUploadId(), queue, flaggedAt, from.topic(), from.partition(), from.offset()));
    }

    private void request(Record<String, byte[]> record, RecordMetadata from) {
        ReviewRequest request;
        try {
            request = requests.deserialize(from.topic(), record.value());
        } catch (RuntimeException e) {
            LOG.warn(
                    "{}[{}]@{}: not a review request: {}",
                    from.topic(),
                    from.partition(),
                    from.offset(),
                    e.getMessage());
            return;
        }
        if (request.kind() == null
                || request.requestId() == null
                || request.console() == null
                || request.reviewer() == null
                || request.queue() == null
                || request.claimId() == null) {
            LOG.warn(
                    "{}[{}]@{}: a review request without kind, ids, reviewer or queue: ignored",
                    from.topic(),
                    from.partition(),
                    from.offset());
            return;
        }
        long now = context.currentSystemTimeMs();
        ClaimBook.Effect effect = book.handle(request, now);
        context.forward(new Record<>(request.console(), effect.reply(), now), ReviewTopology.REPLIES);
        if (effect.decided() != null) {
            ReviewDecision decision = decision(effect.decided(), request);
            context.forward(new Record<>(decision.getUploadId(), decision, now), ReviewTopology.REVIEWS);
        }
        if (effect.withdrawn() != null) {
            context.forward(new Record<String, Object>(effect.withdrawn(), null, now), ReviewTopology.REVIEWS);
        }
        if (effect.audit() != null) {
            context.forward(new Record<>(effect.audit().actor(), effect.audit(), now), ReviewTopology.AUDIT);
        }
    }

    private static ReviewDecision decision(ClaimBook.Decided decided, ReviewRequest request) {
        Verdict verdict = decided.verdict();
        List<LabelVerdict> verdicts = new ArrayList<>();
        if (verdict.violation()) {
            verdicts.add(new LabelVerdict(verdict.label(), true));
        } else {
            verdict.labels().forEach(label -> verdicts.add(new LabelVerdict(label, false)));
        }
        Item item = decided.item();
        return ReviewDecision.newBuilder()
                .setUploadId(item.uploadId())
                .setVerdicts(verdicts)
                .setAction(verdict.violation() ? "block" : "allow")
                .setReviewer(item.reviewer())
                .setQueue(item.queue())
                .setPolicyId(verdict.policyId())
                .setPolicyVersion(verdict.policyVersion())
                .setDecidedAt(Instant.ofEpochMilli(item.decidedAtMs()))
                .setNote(verdict.note())
                .setTimeSpentMs(decided.timeSpentMs())
                .setClaimId(item.claimId())
                .build();
    }

    /** Publishes each queue's depth where it changed since it was last published (kept in a store). */
    private void publishDepths(long now) {
        Map<String, QueueDepth> current = new HashMap<>();
        book.depths(now).forEach(depth -> current.put(depth.queue(), depth));
        try (KeyValueIterator<String, QueueDepth> before = published.all()) {
            while (before.hasNext()) {
                String queue = before.next().key;
                current.putIfAbsent(queue, new QueueDepth(queue, 0, 0, 0));
            }
        }
        current.forEach((queue, depth) -> {
            if (!depth.equals(published.get(queue))) {
                context.forward(new Record<>(queue, depth, now), ReviewTopology.QUEUES);
                if (depth.depth() == 0) {
                    published.delete(queue);
                } else {
                    published.put(queue, depth);
                }
            }
        });
    }

    private void forgetOldDecisions(long now) {
        int forgotten = book.forgetDecidedBefore(now - keepDecided.toMillis());
        if (forgotten > 0) {
            LOG.info("forgot {} items decided more than {} ago", forgotten, keepDecided);
        }
    }
}
