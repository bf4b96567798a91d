package io.clipguard.bench;

import io.clipguard.app.ModerationApp;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalKafka;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.Pacing;
import io.clipguard.local.UploadProducer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The moderation job running against the local broker and registry, with its own topics, fed by a
 * producer and watched by a read_committed consumer, in phases.
 */
final class PipelineRun implements AutoCloseable {

    static final String SENDER_THREAD = "bench-sender";
    private static final int PARTITIONS = 4;

    private final CpuMeter cpu;
    private final ModerationApp app;
    private final UploadProducer producer;
    private final OutcomeReader reader;

    /**
     * @param bootstrapServers the broker
     * @param registryUrl      the schema registry
     * @param cpu              the clocks of this process, the broker's and the registry's
     * @param settings         the job's settings, topics and connections left out
     */
    PipelineRun(String bootstrapServers, String registryUrl, CpuMeter cpu, Properties settings) throws Exception {
        this.cpu = cpu;
        String run = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> topics = Map.of(
                "uploads",
                "bench-uploads-" + run,
                "scored",
                "bench-scored-" + run,
                "flagged",
                "bench-flagged-" + run,
                "dlq",
                "bench-dlq-" + run);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrapServers))) {
            admin.createTopics(topics.entrySet().stream()
                            .map(t -> new NewTopic(
                                            t.getValue(), t.getKey().equals("uploads") ? PARTITIONS : 1, (short) 1)
                                    .configs(Map.of(
                                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                            String.valueOf(LocalKafka.MAX_MESSAGE_BYTES))))
                            .toList())
                    .all()
                    .get();
        }
        Properties config = new Properties();
        config.putAll(settings);
        config.setProperty("application.id", "bench-" + run);
        config.setProperty("bootstrap.servers", bootstrapServers);
        config.setProperty("schema.registry.url", registryUrl);
        topics.forEach((role, name) -> config.setProperty("clipguard.topic." + role, name));
        app = ModerationApp.start(ConfigLoader.from(config));
        app.awaitRunning(Duration.ofSeconds(60));
        producer = new UploadProducer(bootstrapServers, registryUrl, topics.get("uploads"));
        reader = new OutcomeReader(
                bootstrapServers, registryUrl, topics.get("scored"), topics.get("flagged"), topics.get("dlq"));
    }

    /** Sends {@code count} uploads at {@code ratePerSecond} (0: as fast as possible) and waits for all results. */
    PhaseResult phase(String name, BenchInputs inputs, int count, double ratePerSecond, Duration timeout)
            throws InterruptedException {
        Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        double[] latencies = new double[count];
        int decided = 0;
        AtomicLong senderCpu = new AtomicLong();
        try (HeapSampler heap = new HeapSampler()) {
            CpuMeter.Reading cpuAtStart = cpu.read();
            long start = System.nanoTime();
            Thread sender = new Thread(
                    () -> {
                        send(name, inputs, count, ratePerSecond, start, sentNanos);
                        senderCpu.set(CpuMeter.currentThreadNanos());
                    },
                    SENDER_THREAD);
            sender.start();
            long deadline = start + timeout.toNanos();
            long last = start;
            while (decided < count && System.nanoTime() < deadline) {
                List<String> ids = reader.pollDecided(Duration.ofMillis(5));
                long now = System.nanoTime();
                for (String id : ids) {
                    Long sent = sentNanos.get(id);
                    if (sent != null && decided < count) {
                        latencies[decided++] = (now - sent) / 1e6;
                        last = now;
                    }
                }
            }
            sender.join();
            CpuMeter.Split spent = cpu.since(cpuAtStart, senderCpu.get());
            if (decided < count) {
                throw new IllegalStateException(name + ": only " + decided + " of " + count + " decided in " + timeout);
            }
            Arrays.sort(latencies);
            return new PhaseResult(
                    count,
                    ratePerSecond,
                    count / ((last - start) / 1e9),
                    percentile(latencies, 50),
                    percentile(latencies, 95),
                    percentile(latencies, 99),
                    heap.peakMegabytes(),
                    spent.perImage(count));
        }
    }

    /** Sends a burst and returns the heap peak while the job works through it, stopping after {@code watch}. */
    long burstHeapPeakMb(BenchInputs inputs, int count, Duration watch) throws InterruptedException {
        try (HeapSampler heap = new HeapSampler()) {
            long start = System.nanoTime();
            send("burst", inputs, count, 0, start, new ConcurrentHashMap<>());
            long deadline = start + watch.toNanos();
            while (System.nanoTime() < deadline) {
                reader.pollDecided(Duration.ofMillis(50));
            }
            return heap.peakMegabytes();
        }
    }

    private void send(
            String phase,
            BenchInputs inputs,
            int count,
            double ratePerSecond,
            long start,
            Map<String, Long> sentNanos) {
        for (int i = 0; i < count; i++) {
            if (ratePerSecond > 0 && !Pacing.awaitSlot(start, i, ratePerSecond)) {
                return;
            }
            String id = phase + "-" + i;
            sentNanos.put(id, System.nanoTime());
            producer.send(UploadProducer.inline(id, inputs.image(i), "image/jpeg"), true);
            if (ratePerSecond > 0) {
                producer.flush();
            }
        }
        producer.flush();
    }

    private static double percentile(double[] sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    @Override
    public void close() {
        producer.close();
        reader.close();
        app.close();
    }
}
