package io.clipguard.topology;

import io.clipguard.config.KafkaConnection;
import io.clipguard.pipeline.SourceCoordinates;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventLoader} over one consumer of its own (no group, {@code read_committed}) on one daemon
 * thread, shared by every task of an instance. Requests are taken in bunches: per partition it seeks
 * to the lowest offset asked for and reads forward to the highest, so the uploads of a resumed task
 * (neighbours in their partition) come back in a few fetches. While the broker is away, requests wait.
 */
final class KafkaEventLoader implements EventLoader {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventLoader.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A bunch not read to its end by then is put back, behind what came meanwhile. */
    private static final Duration BUNCH_DEADLINE = Duration.ofSeconds(10);

    private record Request(SourceCoordinates at, CompletableFuture<Loaded> result) {}

    private final Consumer<byte[], byte[]> consumer;
    private final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;

    KafkaEventLoader(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
        this.thread = new Thread(this::run, "event-loader");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** A loader with a consumer made from the job's Kafka connection settings. */
    static KafkaEventLoader connect(Properties streamsSettings) {
        Properties settings = KafkaConnection.settings(streamsSettings);
        settings.setProperty("client.id", "clipguard-event-loader");
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("auto.offset.reset", "none");
        // what a poll may bring besides the records asked for is garbage at once: keep it small
        settings.setProperty("fetch.max.bytes", String.valueOf(8 * 1024 * 1024));
        settings.setProperty("max.partition.fetch.bytes", String.valueOf(1024 * 1024));
        settings.setProperty("max.poll.records", "200");
        settings.setProperty("request.timeout.ms", "5000");
        settings.setProperty("default.api.timeout.ms", "10000");
        return new KafkaEventLoader(
                new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    @Override
    public boolean alive() {
        return !running || thread.isAlive();
    }

    @Override
    public CompletableFuture<Loaded> load(SourceCoordinates at) {
        CompletableFuture<Loaded> result = new CompletableFuture<>();
        requests.add(new Request(at, result));
        return result;
    }

    private void run() {
        try {
            while (running) {
                Request first = requests.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                List<Request> bunch = new ArrayList<>(List.of(first));
                requests.drainTo(bunch);
                Map<TopicPartition, List<Request>> byPartition = new HashMap<>();
                bunch.forEach(r -> byPartition
                        .computeIfAbsent(new TopicPartition(r.at().topic(), r.at().partition()), p -> new ArrayList<>())
                        .add(r));
                byPartition.forEach(this::readPartition);
            }
        } catch (InterruptedException | WakeupException e) {
            // closing
        } catch (Throwable e) {
            LOG.error("event loader stopped; uploads waiting to be read again wait for a restart", e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** Reads one partition from the lowest offset asked for to the highest; puts back what it missed. */
    private void readPartition(TopicPartition partition, List<Request> asked) {
        TreeMap<Long, List<Request>> byOffset = new TreeMap<>();
        asked.forEach(r -> byOffset.computeIfAbsent(r.at().offset(), o -> new ArrayList<>())
                .add(r));
        try {
            consumer.assign(List.of(partition));
            long logStart = consumer.beginningOffsets(List.of(partition)).get(partition);
            long logEnd = consumer.endOffsets(List.of(partition)).get(partition);
            // gone from the log (retention; or the topic deleted and made again, when an offset can lie past
            // its end): nothing to read again
            gone(byOffset.headMap(logStart));
            gone(byOffset.tailMap(logEnd));
            if (byOffset.isEmpty()) {
                return;
            }
            consumer.seek(partition, byOffset.firstKey());
            long deadline = System.nanoTime() + BUNCH_DEADLINE.toNanos();
            while (!byOffset.isEmpty() && running && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL).records(partition)) {
                    List<Request> waiting = byOffset.remove(record.offset());
                    if (waiting != null) {
                        Loaded loaded = new Loaded(record.key(), record.value());
                        waiting.forEach(r -> r.result().complete(loaded));
                    }
                }
                // offsets passed without a record (compacted away, or not data): nothing to read again
                gone(byOffset.headMap(consumer.position(partition)));
            }
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("reading uploads again from {} failed ({}); trying again", partition, e.toString());
            sleepQuietly();
        }
        byOffset.values().forEach(requests::addAll); // not read yet: the broker is away, or slow
    }

    /** Completes the requests for offsets the log no longer has, or never had, with null. */
    private static void gone(java.util.SortedMap<Long, List<Request>> offsets) {
        offsets.values().forEach(requests -> requests.forEach(r -> r.result().complete(null)));
        offsets.clear();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(500);
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
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // requests left are never completed: their uploads stay in their tasks' stores for the next owner
    }
}
