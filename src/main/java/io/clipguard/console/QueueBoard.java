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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every queue's latest depth, read from the compacted queues topic from its beginning by one thread.
 * What the queue page shows. Thread-safe.
 */
final class QueueBoard implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueBoard.class);

    private final Map<String, QueueDepth> depths = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, QueueDepth> consumer;
    private final Thread thread;
    private volatile boolean running = true;

    QueueBoard(Properties client, String topic) {
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("client.id", "console-queues");
        consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new JsonSerde<>(QueueDepth.class));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::read, "console-queues");
        thread.setDaemon(true);
        thread.start();
    }

    /** The queues with their depths, by name. */
    Map<String, QueueDepth> depths() {
        return new TreeMap<>(depths);
    }

    private void read() {
        try {
            while (running) {
                try {
                    for (ConsumerRecord<String, QueueDepth> record : consumer.poll(Duration.ofMillis(500))) {
                        if (record.key() != null && record.value() != null) {
                            depths.put(record.key(), record.value());
                        }
                    }
                } catch (RecordDeserializationException e) {
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("reading queue depths: {}", e.toString());
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
