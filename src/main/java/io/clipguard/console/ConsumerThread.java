package io.clipguard.console;

import java.time.Duration;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One daemon thread that polls an assigned consumer and hands every record to a callback until closed.
 * A record that cannot be read is skipped; any other failure (a broker away, a bug in the callback) is
 * logged and the thread polls again, so it never dies quietly. Closing closes the consumer.
 */
final class ConsumerThread<K, V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerThread.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final KafkaConsumer<K, V> consumer;
    private final Consumer<ConsumerRecord<K, V>> each;
    private final Thread thread;
    private volatile boolean running = true;

    ConsumerThread(String name, KafkaConsumer<K, V> consumer, Consumer<ConsumerRecord<K, V>> each) {
        this.consumer = consumer;
        this.each = each;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            while (running) {
                try {
                    consumer.poll(POLL).forEach(each);
                } catch (WakeupException e) {
                    throw e;
                } catch (RecordDeserializationException e) {
                    LOG.warn("{}: skipping a record that cannot be read: {}", thread.getName(), e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                } catch (RuntimeException e) {
                    LOG.warn("{}: {}; polling again", thread.getName(), e.toString());
                    Thread.sleep(POLL.toMillis());
                }
            }
        } catch (WakeupException | InterruptedException e) {
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
