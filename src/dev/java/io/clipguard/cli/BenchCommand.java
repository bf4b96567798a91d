package io.clipguard.cli;

import io.clipguard.bench.BenchInputs;
import io.clipguard.bench.Benchmark;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench --model DIR --policy FILE --photos DIR --small DIR [--batch N] [--delay-ms N]
 * [--uploads N] [--load-seconds N] [--out FILE]}: the speed benchmark (see deploy/bench/README.md).
 * Prints the report and appends it to {@code --out}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "The speed benchmark (deploy/bench/README.md).")
final class BenchCommand implements Callable<Integer> {

    private static final long MAX_PHOTO_BYTES = 16L * 1024 * 1024;

    @Mixin
    BenchOptions options;

    @Option(names = "--batch", defaultValue = "16", description = "largest batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--delay-ms", defaultValue = "10", description = "batch delay (default: ${DEFAULT-VALUE})")
    long delayMs;

    @Option(names = "--uploads", defaultValue = "160", description = "uploads per phase (default: ${DEFAULT-VALUE})")
    int uploads;

    @Option(names = "--load-seconds", defaultValue = "20", description = "load phase (default: ${DEFAULT-VALUE})")
    double loadSeconds;

    @Option(
            names = "--max-in-flight-bytes",
            defaultValue = "0",
            description = "the job's clipguard.pipeline.max-in-flight-bytes; 0 keeps its default (256 MiB)")
    long maxInFlightBytes;

    @Override
    public Integer call() throws Exception {
        Benchmark.Settings settings = new Benchmark.Settings(
                options.model,
                options.policy,
                BenchInputs.fromDirectory("photos", options.photos, MAX_PHOTO_BYTES),
                BenchInputs.fromDirectory("small images", options.small, MAX_PHOTO_BYTES),
                batch,
                Duration.ofMillis(delayMs),
                uploads,
                loadSeconds,
                maxInFlightBytes);
        options.report(Benchmark.run(settings));
        return 0;
    }
}
