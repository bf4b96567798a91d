package io.clipguard.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The images a benchmark feeds through the pipeline, as encoded bytes.
 *
 * @param name   what they are, for the report
 * @param images encoded image files
 */
public record BenchInputs(String name, List<byte[]> images) {

    /** Every {@code .jpg}/{@code .jpeg}/{@code .png} file in a directory tree, in name order. */
    public static BenchInputs fromDirectory(String name, Path dir, long maxFileBytes) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<byte[]> images = files.filter(Files::isRegularFile)
                    .filter(f -> f.toString().matches("(?i).*\\.(jpe?g|png)$"))
                    .filter(f -> size(f) <= maxFileBytes)
                    .sorted()
                    .map(BenchInputs::read)
                    .toList();
            if (images.isEmpty()) {
                throw new IllegalArgumentException("no .jpg or .png files under " + dir);
            }
            return new BenchInputs(name, images);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The i-th image, cycling. */
    public byte[] image(int i) {
        return images.get(i % images.size());
    }

    /** Mean encoded size, in bytes. */
    public long meanBytes() {
        return (long) images.stream().mapToInt(b -> b.length).average().orElse(0);
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
