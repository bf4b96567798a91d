package io.clipguard.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The sample images that ship with the tiny model ({@code models/tiny-clip/samples}), with what each
 * one shows. Drawn from the same generator the model was trained on.
 */
public final class SampleImages {

    /** One sample: its file and the attributes it was rendered with. */
    public record Sample(Path file, String color, String shape, String pattern, String size, boolean heldOut) {

        /** For example "red star". */
        public String colorAndShape() {
            return color + " " + shape;
        }
    }

    private SampleImages() {}

    /** Reads {@code samples.csv} in {@code dir}: {@code file,color,shape,pattern,size,held_out}. */
    public static List<Sample> load(Path dir) {
        Path csv = dir.resolve("samples.csv");
        try {
            return Files.readAllLines(csv).stream()
                    .skip(1)
                    .filter(line -> !line.isBlank())
                    .map(line -> line.split(","))
                    .map(f -> new Sample(dir.resolve(f[0]), f[1], f[2], f[3], f[4], isTrue(f[5])))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sample list " + csv, e);
        }
    }

    private static boolean isTrue(String text) {
        String value = text.trim().toLowerCase(java.util.Locale.ROOT);
        return value.equals("1") || value.equals("true") || value.equals("yes");
    }
}
