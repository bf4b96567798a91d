package io.clipguard.cli;

import io.clipguard.bench.BenchInputs;
import io.clipguard.image.DecodeLimits;
import io.clipguard.image.Rgb8;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.pdq.PdqHash;
import io.clipguard.pdq.PdqHasher;
import io.clipguard.pdq.PdqIndex;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pdq-bench}: the known-content targets of issue 18, measured in one run: PDQ's CPU time per
 * image on pixels the pipeline already decoded, and a bank of N hashes loaded from a hash list
 * (one 64-hex hash per line) into the multi-index, with its heap, its load time, and its lookup
 * latency at radius 31 against a brute-force scan of the same bank.
 */
@Command(
        name = "pdq-bench",
        mixinStandardHelpOptions = true,
        description = "PDQ hashing cost per decoded image, and a bank's load time, heap and lookup latency"
                + " against brute force.")
final class PdqBenchCommand implements Callable<Integer> {

    @Option(names = "--photos", required = true, description = "photographs (JPEG) to hash")
    Path photos;

    @Option(names = "--small", required = true, description = "small images to hash")
    Path small;

    @Option(names = "--hashes", defaultValue = "10000000", description = "bank size (default: ${DEFAULT-VALUE})")
    int hashes;

    @Option(names = "--queries", defaultValue = "2000", description = "lookups timed (default: ${DEFAULT-VALUE})")
    int queries;

    @Option(names = "--list", defaultValue = "target/pdq-bank.txt", description = "the hash list, written if missing")
    Path list;

    @Option(names = "--out", description = "append the results to this markdown file")
    Path out;

    @Override
    public Integer call() throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(String.format(
                Locale.ROOT,
                "### pdq-bench, %s%n%nMachine: %d cores, Java %s, heap max %d MB.%n%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20));
        hashing(report);
        bank(report);
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, "\n" + report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        return 0;
    }

    /** CPU time of PDQ per image, on the pixels the pipeline's decoder gives (median of 5 per image). */
    private void hashing(StringBuilder report) {
        RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        report.append("PDQ on decoded pixels, CPU ms per image on one thread (median of 5 per image):\n\n");
        report.append("| inputs | images | mean decoded size | PDQ ms | PDQ with 8 dihedral ms | decode ms |\n");
        report.append("|---|---|---|---|---|---|\n");
        for (BenchInputs inputs : List.of(
                BenchInputs.fromDirectory("photos", photos, 20L << 20),
                BenchInputs.fromDirectory("small images", small, 20L << 20))) {
            double pdq = 0;
            double dihedral = 0;
            double decode = 0;
            long pixels = 0;
            for (byte[] bytes : inputs.images()) {
                Rgb8 image = Rgb8.of(decoder.decode(bytes));
                pixels += (long) image.widthPx() * image.heightPx();
                for (int warm = 0; warm < 20; warm++) {
                    PdqHasher.hash(image.widthPx(), image.heightPx(), image.rgb());
                }
                double[] runs = new double[5];
                double[] dihedralRuns = new double[5];
                double[] decodeRuns = new double[5];
                for (int r = 0; r < 5; r++) {
                    long t0 = cpu.getCurrentThreadCpuTime();
                    PdqHasher.hash(image.widthPx(), image.heightPx(), image.rgb());
                    long t1 = cpu.getCurrentThreadCpuTime();
                    PdqHasher.dihedral(image.widthPx(), image.heightPx(), image.rgb());
                    long t2 = cpu.getCurrentThreadCpuTime();
                    decoder.decode(bytes);
                    long t3 = cpu.getCurrentThreadCpuTime();
                    runs[r] = (t1 - t0) / 1e6;
                    dihedralRuns[r] = (t2 - t1) / 1e6;
                    decodeRuns[r] = (t3 - t2) / 1e6;
                }
                pdq += median(runs);
                dihedral += median(dihedralRuns);
                decode += median(decodeRuns);
            }
            int n = inputs.images().size();
            report.append(String.format(
                    Locale.ROOT,
                    "| %s | %d | %.2f MP | %.2f | %.2f | %.2f |%n",
                    inputs.name(),
                    n,
                    pixels / 1e6 / n,
                    pdq / n,
                    dihedral / n,
                    decode / n));
        }
        report.append('\n');
    }

    /** Loads the bank from its hash list, indexes it, and times lookups against a scan. */
    private void bank(StringBuilder report) throws Exception {
        Random random = new Random(18);
        if (!Files.exists(list) || Files.size(list) < 65L * hashes) {
            Files.createDirectories(list.toAbsolutePath().getParent());
            try (BufferedWriter writer = Files.newBufferedWriter(list)) {
                for (int i = 0; i < hashes; i++) {
                    writer.write(
                            PdqHash.ofWords(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong())
                                    .hex());
                    writer.write('\n');
                }
            }
        }
        System.gc();
        long heapBefore = usedHeap();
        long start = System.nanoTime();
        long[] words = new long[4 * hashes];
        int count = 0;
        try (BufferedReader reader = Files.newBufferedReader(list)) {
            String line;
            while (count < hashes && (line = reader.readLine()) != null) {
                for (int w = 0; w < 4; w++) {
                    words[4 * count + 3 - w] = HexFormat.fromHexDigitsToLong(line, 16 * w, 16 * w + 16);
                }
                count++;
            }
        }
        double parseSeconds = (System.nanoTime() - start) / 1e9;
        PdqIndex index = PdqIndex.ofWords(words, count);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        System.gc();
        long heapMb = (usedHeap() - heapBefore) >> 20;

        // half the queries are near an indexed hash (a match exists), half are random (none does);
        // another seed than the list's, so that no random query is a banked hash
        random = new Random(1818);
        List<PdqHash> probes = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            PdqHash query = q % 2 == 0
                    ? near(index.hash(random.nextInt(count)), 1 + random.nextInt(31), random)
                    : PdqHash.ofWords(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
            probes.add(query);
        }
        for (int warm = 0; warm < 200; warm++) {
            index.search(probes.get(warm % probes.size()), 31);
        }
        double[] micros = new double[queries];
        int matched = 0;
        for (int q = 0; q < queries; q++) {
            long t0 = System.nanoTime();
            matched += index.search(probes.get(q), 31).isEmpty() ? 0 : 1;
            micros[q] = (System.nanoTime() - t0) / 1e3;
        }
        int scans = Math.max(5, Math.min(50, queries / 40));
        double[] scanMicros = new double[scans];
        for (int q = 0; q < scans; q++) {
            long t0 = System.nanoTime();
            index.scan(probes.get(q), 31);
            scanMicros[q] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(micros);
        double p50 = micros[micros.length / 2];
        double p99 = micros[(int) Math.ceil(0.99 * micros.length) - 1];
        double mean = Arrays.stream(micros).average().orElse(0);
        double scanMean = Arrays.stream(scanMicros).average().orElse(0);
        report.append(String.format(
                Locale.ROOT,
                "A bank of %,d hashes (uniformly random, from a hash list of one 64-hex hash per line), lookups at"
                        + " radius 31 on one thread, %d queries (half within 31 bits of a banked hash: %d matched):%n%n",
                count,
                queries,
                matched));
        report.append("| measure | value | target | met |\n|---|---|---|---|\n");
        report.append(String.format(
                Locale.ROOT,
                "| heap held by the bank | %d MB | <= 2048 MB | %s |%n",
                heapMb,
                heapMb <= 2048 ? "yes" : "no"));
        report.append(String.format(
                Locale.ROOT,
                "| load (read and parse the list, build the index) | %.1f s (parse %.1f s) | <= 60 s | %s |%n",
                loadSeconds,
                parseSeconds,
                loadSeconds <= 60 ? "yes" : "no"));
        report.append(String.format(
                Locale.ROOT,
                "| lookup p50 / p99 / mean | %.0f / %.0f / %.0f us | p99 <= 1000 us | %s |%n",
                p50,
                p99,
                mean,
                p99 <= 1000 ? "yes" : "no"));
        report.append(String.format(
                Locale.ROOT,
                "| brute-force scan, mean of %d | %.0f us | | |%n| brute force / index (means) | %.0fx | >= 20x | %s |%n",
                scans,
                scanMean,
                scanMean / mean,
                scanMean / mean >= 20 ? "yes" : "no"));
        report.append('\n');
    }

    private static PdqHash near(PdqHash hash, int bits, Random random) {
        long[] w = {hash.word(0), hash.word(1), hash.word(2), hash.word(3)};
        int flipped = 0;
        while (flipped < bits) {
            int k = random.nextInt(256);
            long mask = 1L << (k & 63);
            if ((w[k >>> 6] & mask) == (hash.word(k >>> 6) & mask)) {
                w[k >>> 6] ^= mask;
                flipped++;
            }
        }
        return PdqHash.ofWords(w[0], w[1], w[2], w[3]);
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
