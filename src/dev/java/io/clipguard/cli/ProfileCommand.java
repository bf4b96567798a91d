package io.clipguard.cli;

import io.clipguard.app.ModelRuntime;
import io.clipguard.bench.BenchInputs;
import io.clipguard.bench.StageProfiles;
import io.clipguard.config.ModelConfig;
import io.clipguard.model.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Mixin
    BenchOptions options;

    @Option(names = "--repeat", defaultValue = "5", description = "passes over the images (default: ${DEFAULT-VALUE})")
    int repeat;

    @Override
    public Integer call() throws Exception {
        List<byte[]> images = new ArrayList<>();
        images.addAll(BenchInputs.fromDirectory("photos", options.photos, MAX_IMAGE_BYTES)
                .images());
        images.addAll(BenchInputs.fromDirectory("small", options.small, MAX_IMAGE_BYTES)
                .images());
        try (ModelRuntime runtime = ModelRuntime.open(
                new ModelConfig(options.model, Engine.PYTORCH, 1, 2), options.policy, MAX_IMAGE_BYTES)) {
            options.report(
                    StageProfiles.report(runtime, options.model.getFileName().toString(), images, repeat));
        }
        return 0;
    }
}
