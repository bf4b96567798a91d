package io.clipguard.tuning;

import io.clipguard.avro.LabelScore;
import io.clipguard.avro.LabelVerdict;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.config.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a topic from its beginning to the end it had when reading began, without a consumer group
 * (nothing is committed), and converts the records: scored results into {@link ScoredUpload}s, review
 * decisions into {@link Review}s. Records that cannot be deserialised are skipped.
 */
public final class TopicSnapshot {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration STALLED = Duration.ofSeconds(60);

    private TopicSnapshot() {}

    public static List<ScoredUpload> scored(String topic, Properties client, Deserializer<ModerationResult> values) {
        return read(topic, client, values, result -> {
            Map<String, Double> scores = new LinkedHashMap<>();
            Map<String, Boolean> fired = new LinkedHashMap<>();
            for (LabelScore score : result.getLabels()) {
                scores.put(score.getLabel(), score.getScore());
                fired.put(score.getLabel(), score.getFired());
            }
            return new ScoredUpload(
                    result.getUploadId(),
                    result.getPolicyVersion(),
                    scores,
                    fired,
                    result.getAttributes(),
                    result.getDecidedAt());
        });
    }

    /**
     * The review decisions on the topic. A tombstone (a record with a key and no value) withdraws the
     * decisions before it on that upload: the review console writes one when a reviewer undoes one.
     */
    public static List<Review> reviews(String topic, Properties client, Deserializer<ReviewDecision> values) {
        Map<String, List<Review>> byUpload = new LinkedHashMap<>();
        forEachRecord(topic, client, record -> {
            if (record.value() == null) {
                if (record.key() != null) {
                    byUpload.remove(new String(record.key(), StandardCharsets.UTF_8));
                }
                return;
            }
            ReviewDecision decision = deserialize(values, record);
            if (decision != null) {
                byUpload.computeIfAbsent(decision.getUploadId(), id -> new ArrayList<>())
                        .add(review(decision));
            }
        });
        return byUpload.values().stream().flatMap(List::stream).toList();
    }

    private static Review review(ReviewDecision decision) {
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        for (LabelVerdict verdict : decision.getVerdicts()) {
            verdicts.put(verdict.getLabel(), verdict.getApplies());
        }
        return new Review(decision.getUploadId(), verdicts, decision.getReviewer(), decision.getDecidedAt());
    }

    private static <V, T> List<T> read(
            String topic, Properties client, Deserializer<V> values, Function<V, T> convert) {
        List<T> out = new ArrayList<>();
        forEach(topic, client, values, value -> out.add(convert.apply(value)));
        return out;
    }

    /**
     * Hands each record's value to {@code each}, from the topic's beginning to the end it had when
     * reading began, without holding them: for scans of a whole topic ({@code bank retro}).
     */
    public static <V> void forEach(
            String topic, Properties client, Deserializer<V> values, java.util.function.Consumer<V> each) {
        forEachRecord(topic, client, record -> {
            V value = deserialize(values, record);
            if (value != null) {
                each.accept(value);
            }
        });
    }

    /** As {@link #forEach}, with each raw record (key, value, timestamp), read_committed, no group. */
    public static void forEachRecord(
            String topic, Properties client, java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long progressAt = System.nanoTime();
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                var records = consumer.poll(POLL);
                records.forEach(each);
                if (!records.isEmpty()) {
                    progressAt = System.nanoTime();
                } else if (System.nanoTime() - progressAt > STALLED.toNanos()) {
                    throw new IllegalStateException("reading " + topic + " made no progress for " + STALLED.toSeconds()
                            + " s: is the broker reachable?");
                }
            }
        }
    }

    private static <V> V deserialize(Deserializer<V> values, ConsumerRecord<byte[], byte[]> record) {
        try {
            return record.value() == null ? null : values.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            return null;
        }
    }
}
