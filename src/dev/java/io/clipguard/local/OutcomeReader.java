package io.clipguard.local;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what the moderation job wrote, as a downstream consumer would: {@code read_committed}, so
 * only results of committed transactions count. Not thread-safe.
 */
public final class OutcomeReader implements AutoCloseable {

    /** Everything read so far, by topic. */
    public record Outcomes(
            List<ConsumerRecord<String, ModerationResult>> scored,
            List<ConsumerRecord<String, ModerationResult>> flagged,
            List<ConsumerRecord<String, ModerationError>> deadLetters,
            List<ConsumerRecord<String, ModerationResult>> shadow) {

        /** Scored plus dead-lettered: one per upload when nothing is lost or doubled. */
        public int decided() {
            return scored.size() + deadLetters.size();
        }

        /** How many outcomes each upload id has, scored and dead-lettered together. */
        public Map<String, Integer> perUpload() {
            Map<String, Integer> counts = new HashMap<>();
            scored.forEach(r -> counts.merge(r.value().getUploadId(), 1, Integer::sum));
            deadLetters.forEach(r -> counts.merge(String.valueOf(r.value().getUploadId()), 1, Integer::sum));
            return counts;
        }
    }

    /** Starts the group id, hence the consumer's client id and thread names: a benchmark tells them apart. */
    public static final String GROUP_PREFIX = "outcome-reader-";

    private final KafkaConsumer<String, byte[]> consumer;
    private final Deserializer<ModerationResult> results;
    private final Deserializer<ModerationError> errors;
    private final String scoredTopic;
    private final String flaggedTopic;
    private final String shadowTopic;
    private final Outcomes outcomes =
            new Outcomes(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());

    public OutcomeReader(
            String bootstrapServers, String registryUrl, String scoredTopic, String flaggedTopic, String dlqTopic) {
        this(bootstrapServers, registryUrl, scoredTopic, flaggedTopic, dlqTopic, null);
    }

    /** A reader of the shadow topic too, where {@code shadowTopic} is not null. */
    public OutcomeReader(
            String bootstrapServers,
            String registryUrl,
            String scoredTopic,
            String flaggedTopic,
            String dlqTopic,
            String shadowTopic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP_PREFIX + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        Map<String, String> serde = Map.of("schema.registry.url", registryUrl);
        this.results = AvroSerdes.forClass(ModerationResult.class, serde, null).deserializer();
        this.errors = AvroSerdes.forClass(ModerationError.class, serde, null).deserializer();
        this.scoredTopic = scoredTopic;
        this.flaggedTopic = flaggedTopic;
        this.shadowTopic = shadowTopic;
        List<String> topics = new ArrayList<>(List.of(scoredTopic, flaggedTopic, dlqTopic));
        if (shadowTopic != null) {
            topics.add(shadowTopic);
        }
        consumer.subscribe(topics);
    }

    /** Polls until {@code expected} uploads are decided (scored or dead-lettered) or the timeout passes. */
    public Outcomes awaitDecided(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomes.decided() < expected && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return outcomes;
    }

    /** Polls until {@code expected} distinct uploads have an outcome, or the timeout passes. */
    public Outcomes awaitDistinct(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (outcomes.perUpload().size() < expected && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return outcomes;
    }

    /** Polls for a while longer, to catch anything written twice. */
    public Outcomes drain(Duration quiet) {
        poll(quiet);
        return outcomes;
    }

    /**
     * Polls until nothing new has come for {@code quiet} (or {@code atMost} has passed), to catch a
     * late duplicate: one poll would return with the first records it found.
     */
    public Outcomes drainUntilQuiet(Duration quiet, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < quiet.toNanos() && System.nanoTime() < deadline) {
            if (poll(Duration.ofMillis(250)) > 0) {
                quietSince = System.nanoTime();
            }
        }
        return outcomes;
    }

    /**
     * Polls once and returns the ids of uploads decided (scored or dead-lettered) in what was read;
     * an unidentified dead letter counts as the empty string.
     */
    public List<String> pollDecided(Duration wait) {
        int scoredBefore = outcomes.scored().size();
        int deadBefore = outcomes.deadLetters().size();
        poll(wait);
        List<String> ids = new ArrayList<>();
        outcomes.scored().subList(scoredBefore, outcomes.scored().size()).forEach(r -> ids.add(r.key()));
        outcomes.deadLetters()
                .subList(deadBefore, outcomes.deadLetters().size())
                .forEach(r ->
                        ids.add(r.value().getUploadId() == null ? "" : r.value().getUploadId()));
        return ids;
    }

    private int poll(Duration wait) {
        int count = 0;
        for (ConsumerRecord<String, byte[]> record : consumer.poll(wait)) {
            count++;
            if (record.topic().equals(shadowTopic)) {
                outcomes.shadow().add(typed(record, results.deserialize(record.topic(), record.value())));
            } else if (record.topic().equals(scoredTopic)) {
                outcomes.scored().add(typed(record, results.deserialize(record.topic(), record.value())));
            } else if (record.topic().equals(flaggedTopic)) {
                outcomes.flagged().add(typed(record, results.deserialize(record.topic(), record.value())));
            } else {
                outcomes.deadLetters().add(typed(record, errors.deserialize(record.topic(), record.value())));
            }
        }
        return count;
    }

    private static <V> ConsumerRecord<String, V> typed(ConsumerRecord<String, byte[]> record, V value) {
        return new ConsumerRecord<>(
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.timestampType(),
                record.serializedKeySize(),
                record.serializedValueSize(),
                record.key(),
                value,
                record.headers(),
                record.leaderEpoch());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
