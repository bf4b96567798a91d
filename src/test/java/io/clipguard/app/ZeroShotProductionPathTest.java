package io.clipguard.app;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.LabelScore;
import io.clipguard.config.ModelConfig;
import io.clipguard.config.PolicyConfig;
import io.clipguard.local.SampleImages;
import io.clipguard.local.SampleImages.Sample;
import io.clipguard.local.UploadProducer;
import io.clipguard.model.Engine;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import io.clipguard.policy.EmbeddingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero-shot classification through exactly what the job runs: a policy file whose labels are the
 * classes, the production image source, decoder and pre-processing, the encoder, the policy's prompt
 * templates and softmax rule, the scorer; the deciding class is the label with the highest score. On
 * the bundle's held-out samples: (colour, shape) pairs the model never saw together in training.
 * Chance: 1/8 colour, 1/5 shape, 1/40 pair.
 */
class ZeroShotProductionPathTest {

    static final List<String> COLORS = List.of("red", "green", "blue", "yellow", "purple", "orange", "white", "black");
    static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross");

    /**
     * Floors just under the accuracies measured through this path on the committed bundle
     * (2026-12-04, 112 held-out samples: colour 1.000, shape 0.946, pair 0.946); the project's goal is
     * 0.90 and above. The model's own evaluation, with its training templates, is in {@code
     * encode.ZeroShotTest}.
     */
    static final double MIN_COLOR = 0.95;

    static final double MIN_SHAPE = 0.90;
    static final double MIN_PAIR = 0.90;

    @TempDir
    Path dir;

    @Test
    void recognisesHeldOutColoursShapesAndPairsThroughThePipeline() throws Exception {
        List<Sample> heldOut = SampleImages.load(Path.of("models/tiny-clip/samples")).stream()
                .filter(Sample::heldOut)
                .toList();
        assertTrue(heldOut.size() >= 10, "held-out samples: " + heldOut.size());
        double color = accuracy("colors", COLORS, heldOut, Sample::color);
        double shape = accuracy("shapes", SHAPES, heldOut, Sample::shape);
        List<String> pairs = COLORS.stream()
                .flatMap(c -> SHAPES.stream().map(s -> c + " " + s))
                .toList();
        double pair = accuracy("pairs", pairs, heldOut, s -> s.color() + " " + s.shape());
        System.out.printf(
                "zero-shot through the production path on %d held-out samples: colour %.3f, shape %.3f, pair %.3f%n",
                heldOut.size(), color, shape, pair);
        assertTrue(color >= MIN_COLOR, "colour " + color);
        assertTrue(shape >= MIN_SHAPE, "shape " + shape);
        assertTrue(pair >= MIN_PAIR, "pair " + pair);
    }

    /** The share of samples whose highest-scoring label is their class, under a policy of those classes. */
    private double accuracy(String name, List<String> classes, List<Sample> samples, Function<Sample, String> truth)
            throws Exception {
        Path policy = dir.resolve(name + ".yaml");
        Files.writeString(policy, policyOf(name, classes));
        try (ModelRuntime runtime = ModelRuntime.open(
                new ModelConfig(Path.of("models/tiny-clip"), Engine.PYTORCH, 1, 2),
                PolicyConfig.of(policy),
                20L * 1024 * 1024,
                EmbeddingProgress.SILENT)) {
            int correct = 0;
            for (int i = 0; i < samples.size(); i++) {
                Sample sample = samples.get(i);
                Outcome outcome = runtime.moderator()
                        .moderate(
                                UploadProducer.inline("s" + i, Files.readAllBytes(sample.file()), null),
                                new SourceCoordinates("samples", 0, i));
                List<LabelScore> scores = ((Outcome.Scored) outcome).result().getLabels();
                String best = scores.stream()
                        .max(Comparator.comparingDouble(LabelScore::getScore))
                        .orElseThrow()
                        .getLabel();
                correct += best.equals(id(truth.apply(sample))) ? 1 : 0;
            }
            return (double) correct / samples.size();
        }
    }

    private static String policyOf(String name, List<String> classes) {
        String labels = classes.stream()
                .map(c -> "  - id: " + id(c) + "\n    names: [\"" + c + "\"]\n    action: allow\n    threshold: 0.5\n")
                .collect(Collectors.joining());
        return "id: " + name + "\nversion: \"1\"\nrule: softmax\ntemplates:\n"
                + "  - \"a photo of a {}\"\n  - \"a {}\"\n  - \"an image of a {}\"\n  - \"a picture of a {}\"\n"
                + "  - \"a drawing of a {}\"\n  - \"{}\"\nlabels:\n" + labels;
    }

    private static String id(String className) {
        return className.replace(' ', '_');
    }
}
