package io.clipguard.cli;

import io.clipguard.app.ModelRuntime;
import io.clipguard.bench.BenchInputs;
import io.clipguard.bench.StageProfiles;
import io.clipguard.config.ModelConfig;
import io.clipguard.model.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code profile --model DIR --policy FILE --photos DIR --small DIR [--repeat N] [--out FILE]}: CPU
 * time per image of every stage, per input class, and the throughput bounds they imply.
 */
@Command(
        name = "profile",
        mixinStandardHelpOptions = true,
        description = "CPU time per image of every stage, per input class, and the throughput bounds they imply.")
final class ProfileCommand implements Callable<Integer> {

    private static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR")
    Path model;

    @Option(names = "--policy", required = true, paramLabel = "FILE")
    Path policy;

    @Option(names = "--photos", required = true, paramLabel = "DIR")
    Path photos;

    @Option(names = "--small", required = true, paramLabel = "DIR")
    Path small;

    @Option(names = "--repeat", defaultValue = "5", description = "passes over the images (default: ${DEFAULT-VALUE})")
    int repeat;

    @Option(names = "--out", paramLabel = "FILE", description = "append the report here")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<byte[]> images = new ArrayList<>();
        images.addAll(
                BenchInputs.fromDirectory("photos", photos, MAX_IMAGE_BYTES).images());
        images.addAll(BenchInputs.fromDirectory("small", small, MAX_IMAGE_BYTES).images());
        String report;
        try (ModelRuntime runtime =
                ModelRuntime.open(new ModelConfig(model, Engine.PYTORCH, 1, 2), policy, MAX_IMAGE_BYTES)) {
            report = StageProfiles.report(runtime, model.getFileName().toString(), images, repeat);
        }
        System.out.println(report);
        if (out != null) {
            String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Files.writeString(
                    out,
                    "\nCommand: `DevMain " + args + "`\n\n" + report,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        return 0;
    }
}
