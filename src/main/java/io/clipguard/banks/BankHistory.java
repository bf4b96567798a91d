package io.clipguard.banks;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The bank topic read once to its end, keeping only the entries written since a given time (by their
 * records' timestamps) with the banks as they stand now: what {@code bank retro} searches the past
 * for. An entry added since and removed again is not kept.
 */
public final class BankHistory {

    private BankHistory() {}

    /** The banks in force, holding only the entries added at or after {@code since}. */
    public static KnownContent addedSince(String topic, Properties client, Instant since, int radius, int minQuality) {
        KnownContent banks = new KnownContent(radius, minQuality);
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("the bank topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    BankRecords.Change change;
                    try {
                        change = BankRecords.parse(record.key(), record.value());
                    } catch (IllegalArgumentException e) {
                        continue; // the job skips it too
                    }
                    boolean older = record.timestamp() < since.toEpochMilli();
                    if (change instanceof BankRecords.EntrySet && older) {
                        continue;
                    }
                    banks.apply(change);
                }
            }
        }
        banks.rebuildAndPublish();
        return banks;
    }
}
