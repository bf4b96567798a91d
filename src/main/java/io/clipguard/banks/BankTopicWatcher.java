package io.clipguard.banks;

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
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an instance's {@link KnownContent} in step with the compacted bank topic: reads it from the
 * beginning at start (no consumer group: every instance reads every bank), indexes what it read once
 * caught up, then applies each new record as it arrives, so that a hash published to the topic
 * matches on every instance within a poll (well under a second once read). A malformed record is
 * logged and skipped; a broker outage is waited out, the banks in force staying in force meanwhile.
 */
public final class BankTopicWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BankTopicWatcher.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String topic;
    private final KnownContent banks;
    private final Consumer<String, String> consumer;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long skipped;
    private boolean unpublished;
    private long publishedAtNanos;

    /** Records left to read at which the watcher counts as far behind (a bulk import under way). */
    private static final long CATCH_UP_LAG = 10_000;
    /** How long changes wait to be published while far behind: within the 10 s a new hash must match in. */
    private static final Duration PUBLISH_WHILE_BEHIND = Duration.ofSeconds(3);

    private BankTopicWatcher(String topic, KnownContent banks, Consumer<String, String> consumer) {
        this.topic = topic;
        this.banks = banks;
        this.consumer = consumer;
        this.thread = new Thread(this::run, "bank-watcher-" + topic);
        this.thread.setDaemon(true);
    }

    /** Starts watching; {@code clientSettings} gives the connection and security settings. */
    public static BankTopicWatcher start(String topic, Properties clientSettings, KnownContent banks) {
        Properties settings = KafkaConnection.settings(clientSettings);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("allow.auto.create.topics", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("client.id", "clipguard-bank-watcher");
        BankTopicWatcher watcher = new BankTopicWatcher(
                topic, banks, new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer()));
        watcher.thread.start();
        return watcher;
    }

    /** Waits until every record on the topic when watching began is in force; false on timeout. */
    public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** False once the watching thread ended without being closed: bank changes no longer arrive. */
    public boolean alive() {
        return !running || thread.isAlive();
    }

    /** Records skipped as malformed since start. */
    public long skipped() {
        return skipped;
    }

    private void run() {
        try {
            Map<TopicPartition, Long> endAtStart = assignFromBeginning();
            while (running) {
                try {
                    pollOnce(endAtStart);
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    LOG.warn("bank watcher on {}: {}; trying again in {} ms", topic, e.toString(), RETRY.toMillis());
                    sleep(RETRY);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable e) {
            LOG.error("bank watcher on {} stopped; the banks in force stay", topic, e);
            throw e;
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }

    private void pollOnce(Map<TopicPartition, Long> endAtStart) {
        ConsumerRecords<String, String> records = consumer.poll(POLL);
        for (ConsumerRecord<String, String> record : records) {
            try {
                banks.apply(BankRecords.parse(record.key(), record.value()));
            } catch (RuntimeException e) { // a malformed record is skipped, never re-read for ever
                skipped++;
                LOG.warn(
                        "skipping bank record {}[{}]@{} (key {}): {}",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.key() == null
                                ? null
                                : record.key()
                                        .substring(0, Math.min(80, record.key().length())),
                        e.getMessage());
            }
        }
        if (caughtUp.getCount() > 0) {
            if (endAtStart.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue())) {
                banks.rebuildAndPublish();
                LOG.info("banks from {} in force: {}", topic, describe(banks.sizes()));
                caughtUp.countDown();
                publishedAtNanos = System.nanoTime();
            }
        } else if (!records.isEmpty()) {
            unpublished = true;
        }
        // during a bulk import (far behind the topic's end) publish at most every few seconds, without
        // rebuilding the index each time; once caught up, publish (and rebuild when due) at once
        boolean behind = records.count() >= 100 && lag() > CATCH_UP_LAG;
        if (unpublished && (!behind || System.nanoTime() - publishedAtNanos > PUBLISH_WHILE_BEHIND.toNanos())) {
            banks.publish(!behind);
            unpublished = false;
            publishedAtNanos = System.nanoTime();
        }
    }

    /** "terror (block to legal, v4): 2 entries; ..." for the log. */
    private static String describe(Map<Bank, Integer> sizes) {
        if (sizes.isEmpty()) {
            return "none";
        }
        return sizes.entrySet().stream()
                .map(e -> e.getKey().name() + " (" + e.getKey().action().wireName()
                        + (e.getKey().action() == BankAction.ALLOW
                                ? ""
                                : " to " + e.getKey().queue())
                        + ", v" + e.getKey().version() + "): " + e.getValue() + " entries")
                .collect(java.util.stream.Collectors.joining("; "));
    }

    /** Records left to read over every partition, as the consumer last saw it. */
    private long lag() {
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        return lag;
    }

    /**
     * Assigns every partition from the beginning. A topic the cluster says does not exist counts as
     * read (no banks yet: the job may start); a cluster that does not answer, or refuses, does not: the
     * job waits rather than score uploads without the banks that should block them.
     */
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
                    LOG.info("watching bank topic {} ({} partitions)", topic, partitions.size());
                    return new HashMap<>(consumer.endOffsets(partitions));
                }
                if (!warned) {
                    LOG.warn("bank topic {} does not exist (yet); no bank matches until it does", topic);
                    caughtUp.countDown();
                    warned = true;
                }
            } catch (KafkaException e) {
                if (e instanceof WakeupException wakeup) {
                    throw wakeup;
                }
                LOG.warn("bank topic {} not readable yet: {}", topic, e.toString());
            }
            sleep(Duration.ofSeconds(2));
        }
        throw new WakeupException();
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
