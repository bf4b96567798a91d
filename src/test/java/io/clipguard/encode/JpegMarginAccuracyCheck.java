package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.DecodeLimits;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.local.SampleImages;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@code clipguard.input.reduce-jpeg-margin=1} costs against the default 2 and against a full
 * decode, on the tiny model's held-out pairs drawn at photograph sizes: zero-shot accuracy (prompt
 * ensemble), the mean difference of the model's input from a full decode (grey levels), and the CPU
 * time of decoding and pre-processing. The pictures are not committed; make them first:
 *
 * <pre>
 * /usr/bin/python3 models/large_samples.py --out target/large-samples
 * mvn test -Dtest=JpegMarginAccuracyCheck -Dclipguard.large-samples=target/large-samples
 * </pre>
 */
@EnabledIfSystemProperty(
        named = "clipguard.large-samples",
        matches = ".+",
        disabledReason = "set -Dclipguard.large-samples=DIR (made by models/large_samples.py)")
class JpegMarginAccuracyCheck {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final DecodeLimits LIMITS = new DecodeLimits(64L << 20, 100_000_000L);

    @Test
    void marginOneKeepsZeroShotAccuracy() {
        ModelBundle bundle = TinyClip.bundle();
        List<SampleImages.Sample> samples = SampleImages.load(Path.of(System.getProperty("clipguard.large-samples")));
        int size = bundle.image().sizePx();
        ClipPreprocessor clip = ClipPreprocessor.from(bundle.image());
        Map<String, RoutingImageDecoder> routes = new LinkedHashMap<>();
        routes.put("full decode", new RoutingImageDecoder(LIMITS, Integer.MAX_VALUE));
        routes.put("margin 2 (default)", new RoutingImageDecoder(LIMITS, 2 * size));
        routes.put("margin 1", new RoutingImageDecoder(LIMITS, size));
        List<float[]> reference = null;
        Map<ZeroShotTest.Task, Double> fullAccuracy = null;
        System.out.printf(
                "%d pictures, %s%n%-20s %8s %8s %8s %12s %14s%n",
                samples.size(),
                bundle.dir().getFileName(),
                "route",
                "colour",
                "shape",
                "pair",
                "input diff",
                "decode+prep ms");
        try (ImageEncoder images = Encoders.image(bundle, Engine.PYTORCH, 1, 2);
                TextEncoder texts = Encoders.text(bundle)) {
            for (Map.Entry<String, RoutingImageDecoder> route : routes.entrySet()) {
                List<float[]> pixels = new ArrayList<>();
                long cpu = 0;
                for (SampleImages.Sample sample : samples) {
                    byte[] bytes = read(sample.file());
                    long start = THREADS.getCurrentThreadCpuTime();
                    pixels.add(clip.apply(route.getValue().decode(bytes)));
                    cpu += THREADS.getCurrentThreadCpuTime() - start;
                }
                float[][] embeddings = new float[samples.size()][];
                for (int from = 0; from < samples.size(); from += 16) {
                    float[][] batch = images.encode(pixels.subList(from, Math.min(samples.size(), from + 16)));
                    System.arraycopy(batch, 0, embeddings, from, batch.length);
                }
                Map<ZeroShotTest.Task, Double> accuracy = new EnumMap<>(ZeroShotTest.Task.class);
                for (ZeroShotTest.Task task : ZeroShotTest.Task.values()) {
                    accuracy.put(task, accuracy(texts, task, samples, embeddings, bundle.logitScale()));
                }
                reference = reference == null ? pixels : reference;
                fullAccuracy = fullAccuracy == null ? accuracy : fullAccuracy;
                System.out.printf(
                        "%-20s %8.3f %8.3f %8.3f %12.3f %14.2f%n",
                        route.getKey(),
                        accuracy.get(ZeroShotTest.Task.COLOR),
                        accuracy.get(ZeroShotTest.Task.SHAPE),
                        accuracy.get(ZeroShotTest.Task.PAIR),
                        greyLevels(reference, pixels, bundle),
                        cpu / 1e6 / samples.size());
                assertTrue(
                        accuracy.get(ZeroShotTest.Task.PAIR) >= fullAccuracy.get(ZeroShotTest.Task.PAIR) - 0.02,
                        route.getKey() + " loses more than 2 points of pair accuracy: " + accuracy);
            }
        }
    }

    private static double accuracy(
            TextEncoder texts,
            ZeroShotTest.Task task,
            List<SampleImages.Sample> samples,
            float[][] embeddings,
            double logitScale) {
        float[][] classes = PromptEnsemble.classEmbeddings(texts, task.classes, PromptEnsemble.ENSEMBLE);
        int correct = 0;
        for (int i = 0; i < samples.size(); i++) {
            double[] p = PromptEnsemble.probabilities(embeddings[i], classes, logitScale);
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                best = p[c] > p[best] ? c : best;
            }
            correct += task.name(task.classes.get(best)).equals(task.label.apply(samples.get(i))) ? 1 : 0;
        }
        return (double) correct / samples.size();
    }

    /** Mean absolute difference of the model's inputs, in 8-bit grey levels (undoing the normalisation). */
    private static double greyLevels(List<float[]> reference, List<float[]> pixels, ModelBundle bundle) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < pixels.size(); i++) {
            float[] a = reference.get(i);
            float[] b = pixels.get(i);
            int plane = a.length / 3;
            for (int j = 0; j < a.length; j++) {
                sum += Math.abs(a[j] - b[j]) * bundle.image().std().get(j / plane) * 255;
                count++;
            }
        }
        return sum / count;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
