package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import io.clipguard.review.QueueDepth;
import io.clipguard.serde.JsonSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every queue's latest depth, read from the compacted queues topic from its beginning by one thread.
 * What the queue page shows. Thread-safe.
 */
final class QueueBoard implements AutoCloseable {

    private final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();
    private final ConsumerThread<String, QueueDepth> reader;

    QueueBoard(Properties client, String topic) {
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("client.id", "console-queues");
        KafkaConsumer<String, QueueDepth> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new JsonSerde<>(QueueDepth.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        reader = new ConsumerThread<>("console-queues", consumer, record -> {
            if (record.key() != null && record.value() != null) {
                depths.put(record.key(), record.value());
            }
        });
    }

    /** The queues with their depths, by name. */
    Map<String, QueueDepth> depths() {
        return new TreeMap<>(depths);
    }

    @Override
    public void close() {
        reader.close();
    }
}
