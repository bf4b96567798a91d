package io.clipguard.bench;

import io.clipguard.config.BatchConfig;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Collects a benchmark's figures and writes them, with the target ratios, as markdown. */
final class BenchReport {

    /**
     * What the configuration bounds a burst's extra heap to, in MiB, term by term at the defaults:
     * the in-flight budget (256), Kafka Streams' input buffer (64), the consumer's fetch buffer
     * (fetch.max.bytes, 50), the Streams producer's buffer (buffer.memory, 32), the model inputs
     * waiting for the encoder (64 x 0.6), two decoding threads' buffers (2 x 25), and the harness's
     * own producer buffer (32): about 520.
     */
    private static final long CONFIGURED_BOUND_MB =
            BatchConfig.DEFAULT_MAX_IN_FLIGHT_BYTES / (1024 * 1024) + 64 + 50 + 32 + 38 + 50 + 32;

    private final Benchmark.Settings settings;
    private final StringBuilder phases = new StringBuilder();
    private Map<Integer, Double> encoder;
    private List<StageProfile.ClassCost> photoProfile;
    private List<StageProfile.ClassCost> smallProfile;
    private PhaseResult photos;
    private PhaseResult small;
    private PhaseResult load50;
    private PhaseResult naive;
    private long steadyHeapMb;
    private long burstHeapMb;
    private int burstUploads;

    BenchReport(Benchmark.Settings settings) {
        this.settings = settings;
    }

    void encoder(Map<Integer, Double> imagesPerSecond) {
        encoder = imagesPerSecond;
    }

    void profile(List<StageProfile.ClassCost> photoCosts, List<StageProfile.ClassCost> smallCosts) {
        photoProfile = photoCosts;
        smallProfile = smallCosts;
    }

    void batchedSaturation(PhaseResult photoResult, PhaseResult smallResult) {
        photos = photoResult;
        small = smallResult;
        row("batched, saturation", settings.photos().name(), photoResult);
        row("batched, saturation", settings.small().name(), smallResult);
        steadyHeapMb = Math.max(photoResult.heapPeakMb(), smallResult.heapPeakMb());
    }

    void load(double fraction, PhaseResult result) {
        if (fraction == 0.5) {
            load50 = result;
        }
        row(
                String.format(Locale.ROOT, "batched, %.0f%% load", fraction * 100),
                settings.photos().name(),
                result);
        steadyHeapMb = Math.max(steadyHeapMb, result.heapPeakMb());
    }

    void burst(int uploads, long heapPeakMb) {
        burstUploads = uploads;
        burstHeapMb = heapPeakMb;
    }

    void naive(PhaseResult result) {
        naive = result;
        row("naive per-record, saturation", settings.photos().name(), result);
    }

    private void row(String phase, String inputs, PhaseResult r) {
        phases.append(String.format(
                Locale.ROOT,
                "| %s | %s | %d | %s | %.1f | %.0f | %.0f | %.0f | %d | %.1f (%.1f, %.1f, %.1f, %.1f) | %.1f | %.1f"
                        + " | %.1f |%n",
                phase,
                inputs,
                r.uploads(),
                r.offeredPerSecond() == 0 ? "max" : String.format(Locale.ROOT, "%.1f", r.offeredPerSecond()),
                r.imagesPerSecond(),
                r.p50Millis(),
                r.p95Millis(),
                r.p99Millis(),
                r.heapPeakMb(),
                r.cpuPerImage().jobMs(),
                r.cpuPerImage().preprocessMs(),
                r.cpuPerImage().streamMs(),
                r.cpuPerImage().encoderMs(),
                r.cpuPerImage().jobRestMs(),
                r.cpuPerImage().brokerMs(),
                r.cpuPerImage().registryMs(),
                r.cpuPerImage().harnessMs()));
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("### ")
                .append(settings.model().getFileName())
                .append(", ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append("\n\n");
        out.append(String.format(
                Locale.ROOT,
                "Machine: %d cores, %s, Java %s, load average %s at the end. Batch size %d, max delay %d ms. "
                        + "Inputs: %s (%d files, mean %d KB), %s (%d files, mean %d KB).%n%n",
                Runtime.getRuntime().availableProcessors(),
                MachineInfo.cpuModel(),
                System.getProperty("java.version"),
                MachineInfo.loadAverage(),
                settings.maxBatchSize(),
                settings.maxDelay().toMillis(),
                settings.photos().name(),
                settings.photos().images().size(),
                settings.photos().meanBytes() / 1024,
                settings.small().name(),
                settings.small().images().size(),
                settings.small().meanBytes() / 1024));
        out.append("Raw encoder (ready tensors, median of 3 rounds):\n\n| batch | images/s |\n|---|---|\n");
        encoder.forEach((size, ips) -> out.append(String.format(Locale.ROOT, "| %d | %.1f |%n", size, ips)));
        int cores = Runtime.getRuntime().availableProcessors();
        out.append("\nStage profile, ")
                .append(settings.photos().name())
                .append(" (median of 3 per image):\n\n")
                .append(StageProfile.markdown(settings.model().getFileName().toString(), photoProfile, cores));
        out.append("\nStage profile, ")
                .append(settings.small().name())
                .append(" (the first 24):\n\n")
                .append(StageProfile.markdown(settings.model().getFileName().toString(), smallProfile, cores));
        out.append("\nThrough the broker (upload produced -> result committed, read_committed). CPU per image in"
                        + " core-ms: the job's process (this JVM less the harness; in brackets its decode and"
                        + " pre-processing pool, stream threads, encoder dispatcher, and the rest: the engine's"
                        + " native threads, JIT, GC, other pools), the broker's and the registry's processes,"
                        + " and the harness's threads (sending, Avro-encoding the uploads, reading outcomes):\n\n")
                .append("| phase | inputs | uploads | offered/s | images/s | p50 ms | p95 ms | p99 ms"
                        + " | live heap peak MB | job CPU | broker CPU | registry CPU | harness CPU |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
                .append(phases);
        out.append("\n").append(bounds(cores)).append("\n");
        out.append("\n").append(ratios()).append("\n");
        return out.toString();
    }

    /**
     * The pipeline at saturation against the bounds the stage profile implies on these cores: the
     * encoder alone, everything outside the model alone, both (a CPU host does both on the same
     * cores), and both plus what the broker, registry and harness took per image in the same phase.
     */
    private String bounds(int cores) {
        StringBuilder out = new StringBuilder(
                """
                | inputs | stages outside the model, core-ms | encoder, core-ms | job CPU in the pipeline, core-ms \
                | encoder-bound img/s | decode-bound img/s | both on %d cores, img/s | with broker, registry \
                and harness, img/s | pipeline img/s | pipeline / both | pipeline / with the rest |
                |---|---|---|---|---|---|---|---|---|---|---|
                """
                        .formatted(cores));
        boundRow(out, settings.photos().name(), StageProfile.Totals.of(photoProfile), photos, cores);
        boundRow(out, settings.small().name(), StageProfile.Totals.of(smallProfile), small, cores);
        return out.toString();
    }

    private static void boundRow(
            StringBuilder out, String inputs, StageProfile.Totals stages, PhaseResult pipeline, int cores) {
        double both = stages.outsideModelMs() + stages.encodeMs();
        CpuMeter.Split cpu = pipeline.cpuPerImage();
        double withRest = both + cpu.brokerMs() + cpu.registryMs() + cpu.harnessMs();
        out.append(String.format(
                Locale.ROOT,
                "| %s | %.1f | %.1f | %.1f | %.0f | %.0f | %.1f | %.1f | %.1f | %.2f | %.2f |%n",
                inputs,
                stages.outsideModelMs(),
                stages.encodeMs(),
                cpu.jobMs(),
                cores * 1000 / stages.encodeMs(),
                cores * 1000 / stages.outsideModelMs(),
                cores * 1000 / both,
                cores * 1000 / withRest,
                pipeline.imagesPerSecond(),
                pipeline.imagesPerSecond() / (cores * 1000 / both),
                pipeline.imagesPerSecond() / (cores * 1000 / withRest)));
    }

    private String ratios() {
        double best =
                encoder.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        double fullBatchMillis = 1000.0 * settings.maxBatchSize() / encoder.getOrDefault(settings.maxBatchSize(), best);
        double p99Bound = settings.maxDelay().toMillis() + 2 * fullBatchMillis;
        return String.format(
                Locale.ROOT,
                """
                | target | measured | met |
                |---|---|---|
                | end-to-end >= 0.75 x raw encoder best (photos) | %.1f / %.1f = %.2f | %s |
                | end-to-end >= 0.9 x raw encoder best (small images) | %.1f / %.1f = %.2f | %s |
                | batched >= 1.5 x naive per-record (photos) | %.1f / %.1f = %.2f | %s |
                | p99 at 50%% load <= max-delay + 2 x full-batch encode | %.0f ms vs %.0f ms | %s |
                | heap bounded under a 10x burst (%d uploads at once) | peak %d MB vs %d MB steady | %s |
                | burst peak - steady <= the configured bound (budget, client buffers, encoder queue, decoding) | %d MB vs %d MB | %s |
                """,
                photos.imagesPerSecond(),
                best,
                photos.imagesPerSecond() / best,
                yes(photos.imagesPerSecond() >= 0.75 * best),
                small.imagesPerSecond(),
                best,
                small.imagesPerSecond() / best,
                yes(small.imagesPerSecond() >= 0.9 * best),
                photos.imagesPerSecond(),
                naive.imagesPerSecond(),
                photos.imagesPerSecond() / naive.imagesPerSecond(),
                yes(photos.imagesPerSecond() >= 1.5 * naive.imagesPerSecond()),
                load50.p99Millis(),
                p99Bound,
                yes(load50.p99Millis() <= p99Bound),
                burstUploads,
                burstHeapMb,
                steadyHeapMb,
                yes(burstHeapMb <= 1.5 * steadyHeapMb + 64),
                burstHeapMb - steadyHeapMb,
                CONFIGURED_BOUND_MB,
                yes(burstHeapMb - steadyHeapMb <= CONFIGURED_BOUND_MB));
    }

    private static String yes(boolean met) {
        return met ? "yes" : "no";
    }
}
