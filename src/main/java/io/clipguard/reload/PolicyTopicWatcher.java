package io.clipguard.reload;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the compacted policy topic (key: policy id, value: the policy's YAML) from its beginning and
 * offers every record to the {@link PolicyHolder} of that id, so each instance of the application
 * takes up a new version within a poll. No consumer group: every instance reads every record.
 *
 * <p>One daemon thread. {@link #awaitCaughtUp} lets start-up wait until the policies published before
 * it are in force. {@link #close} stops the thread.
 */
public final class PolicyTopicWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyTopicWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String topic;
    private final Map<String, PolicyHolder> holders;
    private final Consumer<String, String> consumer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private PolicyTopicWatcher(String topic, Map<String, PolicyHolder> holders, Consumer<String, String> consumer) {
        this.topic = topic;
        this.holders = Map.copyOf(holders);
        this.consumer = consumer;
        this.thread = new Thread(this::run, "policy-watcher-" + topic);
        this.thread.setDaemon(true);
    }

    /**
     * Starts watching.
     *
     * @param clientSettings Kafka client settings; only connection and security settings are used
     * @param holders        by policy id; records for other ids are ignored
     */
    public static PolicyTopicWatcher start(String topic, Properties clientSettings, Map<String, PolicyHolder> holders) {
        Properties settings = KafkaConnection.settings(clientSettings);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("allow.auto.create.topics", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("client.id", "clipguard-policy-watcher");
        return start(topic, holders, new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer()));
    }

    /** Starts watching with the given consumer; the watcher owns and closes it. */
    static PolicyTopicWatcher start(
            String topic, Map<String, PolicyHolder> holders, Consumer<String, String> consumer) {
        PolicyTopicWatcher watcher = new PolicyTopicWatcher(topic, holders, consumer);
        watcher.thread.start();
        return watcher;
    }

    /** Waits until every record on the topic when watching began has been offered; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** False once the watching thread ended without being closed: hot reload has stopped. */
    public boolean alive() {
        return !running || thread.isAlive();
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endAtStart = assignFromBeginning();
            while (running) {
                try {
                    pollOnce(endAtStart);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException | Error e) {
                    // a broker outage (a TimeoutException from position()), an Error while embedding a new
                    // version (memory, the engine) must not stop hot reload for good, or instances drift
                    // onto different policy versions; the record is offered again
                    LOG.warn("policy watcher on {}: {}; trying again in {} ms", topic, e.toString(), RETRY.toMillis());
                    sleep(RETRY);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            LOG.error("policy watcher on {} stopped; the policies in force stay", topic, e);
            throw e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void pollOnce(Map<TopicPartition, Long> endAtStart) {
        for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
            try {
                offer(record);
            } catch (RuntimeException | Error e) {
                // not the policy's fault (a bad policy is rejected by its holder): read it again later
                consumer.seek(new TopicPartition(record.topic(), record.partition()), record.offset());
                throw e;
            }
        }
        if (caughtUp.getCount() > 0
                && endAtStart.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
            caughtUp.countDown();
        }
    }

    private Map<TopicPartition, Long> assignFromBeginning() throws WakeupException {
        boolean warned = false;
        while (running) {
            try {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .toList();
                if (!partitions.isEmpty()) {
                    consumer.assign(partitions);
                    consumer.seekToBeginning(partitions);
                    LOG.info(
                            "watching policy topic {} ({} partitions) for {}",
                            topic,
                            partitions.size(),
                            holders.keySet());
                    return new HashMap<>(consumer.endOffsets(partitions));
                }
            } catch (KafkaException e) {
                if (e instanceof WakeupException wakeup) {
                    throw wakeup;
                }
                LOG.debug("policy topic {} not readable yet", topic, e);
            }
            if (!warned) {
                LOG.warn("policy topic {} does not exist (yet); hot reload starts once it does", topic);
                caughtUp.countDown();
                warned = true;
            }
            sleep(Duration.ofSeconds(2));
        }
        throw new WakeupException();
    }

    private void offer(ConsumerRecord<String, String> record) {
        String source = record.topic() + "[" + record.partition() + "]@" + record.offset();
        PolicyHolder holder = record.key() == null ? null : holders.get(record.key());
        if (holder == null) {
            LOG.debug("ignoring {}: key {} is not a policy this instance runs", source, record.key());
        } else if (record.value() == null) {
            LOG.warn(
                    "ignoring tombstone for policy {} at {}: a running policy cannot be deleted", record.key(), source);
        } else {
            holder.offer(record.value(), source);
        }
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
