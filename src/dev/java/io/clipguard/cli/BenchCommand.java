package io.clipguard.cli;

import io.clipguard.bench.BenchInputs;
import io.clipguard.bench.Benchmark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * {@code bench --model DIR --policy FILE --photos DIR --small DIR [--batch N] [--delay-ms N]
 * [--uploads N] [--load-seconds N] [--out FILE]}: the speed benchmark (see deploy/bench/README.md).
 * Prints the report and appends it to {@code --out}.
 */
final class BenchCommand {

    private static final long MAX_PHOTO_BYTES = 16L * 1024 * 1024;

    private BenchCommand() {}

    static void run(Arguments arguments) throws Exception {
        Benchmark.Settings settings = new Benchmark.Settings(
                Path.of(arguments.required("model")),
                Path.of(arguments.required("policy")),
                BenchInputs.fromDirectory("photos", Path.of(arguments.required("photos")), MAX_PHOTO_BYTES),
                BenchInputs.fromDirectory("small images", Path.of(arguments.required("small")), MAX_PHOTO_BYTES),
                (int) arguments.integer("batch", 16),
                Duration.ofMillis(arguments.integer("delay-ms", 10)),
                (int) arguments.integer("uploads", 160),
                arguments.decimal("load-seconds", 20.0));
        String report = Benchmark.run(settings);
        System.out.println(report);
        String out = arguments.optional("out", null);
        if (out != null) {
            Files.writeString(
                    Path.of(out),
                    "\nCommand: `DevMain bench " + String.join(" ", arguments.raw()) + "`\n\n" + report,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
