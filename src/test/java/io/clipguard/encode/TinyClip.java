package io.clipguard.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.ImageIoDecoder;
import io.clipguard.local.SampleImages;
import io.clipguard.model.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The committed tiny CLIP bundle and its held-out samples, for model tests. The bundle directory
 * is {@code models/tiny-clip}, or the {@code clipguard.test.bundle} system property.
 */
final class TinyClip {

    static final String BUNDLE_PROPERTY = "clipguard.test.bundle";

    private TinyClip() {}

    static ModelBundle bundle() {
        Path dir = Path.of(System.getProperty(BUNDLE_PROPERTY, "models/tiny-clip"));
        if (!Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST))) {
            throw new IllegalStateException(dir.toAbsolutePath() + " has no manifest.json: the model"
                    + " tests need the committed tiny-clip bundle (models/train_tiny_clip.py writes it)");
        }
        return ModelBundle.load(dir);
    }

    static List<SampleImages.Sample> samples(ModelBundle bundle) {
        return SampleImages.load(bundle.dir().resolve("samples"));
    }

    static JsonNode golden(ModelBundle bundle) {
        try {
            return new ObjectMapper()
                    .readTree(bundle.dir().resolve("golden.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes and pre-processes one sample file the way production does. */
    static float[] pixels(ModelBundle bundle, String file) {
        return pixels(bundle, bundle.dir().resolve("samples").resolve(file));
    }

    /** Decodes and pre-processes one image file the way production does. */
    static float[] pixels(ModelBundle bundle, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return ClipPreprocessor.from(bundle.image()).apply(new ImageIoDecoder(50_000_000).decode(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] scaled(float[] v, double factor) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * factor);
        }
        return out;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
