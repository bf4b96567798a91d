package io.clipguard.bench;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/** Collects a benchmark's figures and writes them, with the target ratios, as markdown. */
final class BenchReport {

    private final Benchmark.Settings settings;
    private final StringBuilder phases = new StringBuilder();
    private Map<Integer, Double> encoder;
    private PhaseResult photos;
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

    void batchedSaturation(PhaseResult photoResult, PhaseResult small) {
        photos = photoResult;
        row("batched, saturation", settings.photos().name(), photoResult);
        row("batched, saturation", settings.small().name(), small);
        steadyHeapMb = Math.max(photoResult.heapPeakMb(), small.heapPeakMb());
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
                "| %s | %s | %d | %s | %.1f | %.0f | %.0f | %.0f | %d |%n",
                phase,
                inputs,
                r.uploads(),
                r.offeredPerSecond() == 0 ? "max" : String.format(Locale.ROOT, "%.1f", r.offeredPerSecond()),
                r.imagesPerSecond(),
                r.p50Millis(),
                r.p95Millis(),
                r.p99Millis(),
                r.heapPeakMb()));
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
        out.append("\nThrough the broker (upload produced -> result committed, read_committed):\n\n")
                .append(
                        "| phase | inputs | uploads | offered/s | images/s | p50 ms | p95 ms | p99 ms | live heap peak MB |\n")
                .append("|---|---|---|---|---|---|---|---|---|\n")
                .append(phases);
        out.append("\n").append(ratios()).append("\n");
        return out.toString();
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
                | end-to-end >= 0.9 x raw encoder best (photos) | %.1f / %.1f = %.2f | %s |
                | batched >= 1.5 x naive per-record (photos) | %.1f / %.1f = %.2f | %s |
                | p99 at 50%% load <= max-delay + 2 x full-batch encode | %.0f ms vs %.0f ms | %s |
                | heap bounded under a 10x burst (%d uploads at once) | peak %d MB vs %d MB steady | %s |
                """,
                photos.imagesPerSecond(),
                best,
                photos.imagesPerSecond() / best,
                yes(photos.imagesPerSecond() >= 0.9 * best),
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
                yes(burstHeapMb <= 1.5 * steadyHeapMb + 64));
    }

    private static String yes(boolean met) {
        return met ? "yes" : "no";
    }
}
