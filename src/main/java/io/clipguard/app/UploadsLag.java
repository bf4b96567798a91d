package io.clipguard.app;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * Uploads the application's group has not committed yet, over every partition of the uploads topic,
 * as the brokers see it: the consumer's own lag metric exists only for the partitions a client is
 * assigned, so it vanishes during a rebalance or an outage, exactly when it is wanted. Every instance
 * reports the same number (take the max, not the sum). Asked every 15 s on a thread of its own, so a
 * scrape never waits on the cluster (the probes share the management server's threads with scrapes);
 * NaN when the cluster did not answer the last time. Thread-safe.
 */
final class UploadsLag implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration EVERY = Duration.ofSeconds(15);

    private final Admin admin;
    private final String groupId;
    private final String topic;
    private final ScheduledExecutorService asker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "clipguard-uploads-lag");
        thread.setDaemon(true);
        return thread;
    });
    private volatile double lastLag = Double.NaN;

    UploadsLag(Properties streamsSettings, String groupId, String topic) {
        this.admin = Admin.create(KafkaConnection.adminSettings(streamsSettings, "clipguard-lag", TIMEOUT));
        this.groupId = groupId;
        this.topic = topic;
        asker.scheduleWithFixedDelay(this::refresh, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The lag as last asked; NaN before the first answer or when the last question failed. */
    double uploads() {
        return lastLag;
    }

    private void refresh() {
        try {
            lastLag = ask();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable e) { // an Error would cancel the schedule and leave a stale figure
            lastLag = Double.NaN;
        }
    }

    private double ask() throws Exception {
        long waitMs = TIMEOUT.toMillis() + 500;
        List<TopicPartitionInfo> partitions = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(waitMs, TimeUnit.MILLISECONDS)
                .get(topic)
                .partitions();
        Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest(), waitMs);
        Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions, OffsetSpec.earliest(), waitMs);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata()
                .get(waitMs, TimeUnit.MILLISECONDS);
        long lag = 0;
        for (var end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            // a partition never committed is read from its start (auto.offset.reset=earliest)
            long from = Math.max(
                    done == null ? 0 : done.offset(), starts.get(end.getKey()).offset());
            lag += Math.max(0, end.getValue().offset() - from);
        }
        return lag;
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(
            List<TopicPartitionInfo> partitions, OffsetSpec spec, long waitMs) throws Exception {
        Map<TopicPartition, OffsetSpec> wanted =
                partitions.stream().collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> spec));
        return admin.listOffsets(wanted, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .all()
                .get(waitMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        asker.shutdownNow();
        admin.close(Duration.ofSeconds(2));
    }
}
