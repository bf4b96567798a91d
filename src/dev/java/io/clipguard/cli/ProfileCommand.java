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

/**
 * {@code profile --model DIR --policy FILE --photos DIR --small DIR [--repeat N] [--out FILE]}: CPU
 * time per image of every stage, per input class, and the throughput bounds they imply.
 */
final class ProfileCommand {

    private static final long MAX_IMAGE_BYTES = 20L * 1024 * 1024;

    private ProfileCommand() {}

    static void run(Arguments arguments) throws Exception {
        List<byte[]> images = new ArrayList<>();
        images.addAll(BenchInputs.fromDirectory("photos", Path.of(arguments.required("photos")), MAX_IMAGE_BYTES)
                .images());
        images.addAll(BenchInputs.fromDirectory("small", Path.of(arguments.required("small")), MAX_IMAGE_BYTES)
                .images());
        Path model = Path.of(arguments.required("model"));
        String report;
        try (ModelRuntime runtime = ModelRuntime.open(
                new ModelConfig(model, Engine.PYTORCH, 1, 2), Path.of(arguments.required("policy")), MAX_IMAGE_BYTES)) {
            report = StageProfiles.report(
                    runtime, model.getFileName().toString(), images, (int) arguments.integer("repeat", 5));
        }
        System.out.println(report);
        String out = arguments.optional("out", null);
        if (out != null) {
            Files.writeString(
                    Path.of(out),
                    "\nCommand: `DevMain profile " + String.join(" ", arguments.raw()) + "`\n\n" + report,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
