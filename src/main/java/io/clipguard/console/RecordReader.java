package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one record's value by its coordinates: a flagged result for an item page, then its upload
 * event for the image. One consumer, one read at a time. Thread-safe.
 */
final class RecordReader implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final KafkaConsumer<byte[], byte[]> consumer;

    RecordReader(Properties client) {
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("client.id", "console-record-reader");
        settings.setProperty("max.poll.records", "1");
        settings.setProperty("fetch.max.wait.ms", "10");
        consumer = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The value at that offset; empty when the record is gone (retention) or was not committed. */
    synchronized Optional<byte[]> read(String topic, int partition, long offset) {
        TopicPartition where = new TopicPartition(topic, partition);
        consumer.assign(List.of(where));
        consumer.seek(where, offset);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (record.offset() == offset) {
                    return Optional.ofNullable(record.value());
                }
                if (record.offset() > offset) {
                    return Optional.empty();
                }
            }
            if (consumer.position(where) > offset) {
                return Optional.empty(); // compacted away, or a transaction marker
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}
