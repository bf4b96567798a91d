package io.clipguard.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.ImageIoDecoder;
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

  /** One row of {@code samples/samples.csv}. */
  record Sample(String file, String color, String shape, String pattern, String size,
      boolean heldOut) {
  }

  private TinyClip() {
  }

  static ModelBundle bundle() {
    Path dir = Path.of(System.getProperty(BUNDLE_PROPERTY, "models/tiny-clip"));
    if (!Files.isRegularFile(dir.resolve(ModelBundle.MANIFEST))) {
      throw new IllegalStateException(dir.toAbsolutePath() + " has no manifest.json: the model"
          + " tests need the committed tiny-clip bundle (models/train_tiny_clip.py writes it)");
    }
    return ModelBundle.load(dir);
  }

  static List<Sample> samples(ModelBundle bundle) {
    try {
      return Files.readAllLines(bundle.dir().resolve("samples/samples.csv")).stream()
          .skip(1)
          .filter(line -> !line.isBlank())
          .map(line -> line.split(","))
          .map(f -> new Sample(f[0], f[1], f[2], f[3], f[4], Boolean.parseBoolean(f[5])))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode golden(ModelBundle bundle) {
    try {
      return new ObjectMapper().readTree(bundle.dir().resolve("golden.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Decodes and pre-processes one sample file the way production does. */
  static float[] pixels(ModelBundle bundle, String file) {
    try {
      byte[] bytes = Files.readAllBytes(bundle.dir().resolve("samples").resolve(file));
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
