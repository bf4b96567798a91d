package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.SampleImages.Sample;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The model's own zero-shot evaluation, as its training script evaluates it: the DJL encoders on the
 * bundle's held-out samples (pictures of (colour, shape) pairs the model never saw together in
 * training), with the model's training templates, a test-side prompt ensemble and softmax. What the
 * job runs (policy file, decoder, pre-processing, scorer) is checked by {@code
 * app.ZeroShotProductionPathTest}. Chance: 1/8 colour, 1/5 shape, 1/40 pair.
 */
class ZeroShotTest {

    static final List<String> COLORS = List.of("red", "green", "blue", "yellow", "purple", "orange", "white", "black");
    static final List<String> SHAPES = List.of("circle", "square", "triangle", "star", "cross");

    /**
     * Floors just under the ensemble accuracies measured through this path on the committed bundle
     * (2026-11-23 05:14: colour 1.000, shape 0.946, pair 0.938 on 112 held-out samples; chance is
     * 1/8, 1/5 and 1/40). The project's goal is 0.90 and above.
     */
    static final double MIN_COLOR_ACCURACY = 0.95;

    static final double MIN_SHAPE_ACCURACY = 0.90;
    static final double MIN_PAIR_ACCURACY = 0.90;

    private static ModelBundle bundle;
    private static List<Sample> heldOut;
    private static float[][] imageEmbeddings;
    private static final Map<Task, Double> SINGLE = new HashMap<>(); // not EnumMap: Task's initialiser reads this class
    private static final Map<Task, Double> ENSEMBLE = new HashMap<>();

    @BeforeAll
    static void classifyHeldOutSamples() {
        bundle = TinyClip.bundle();
        heldOut = TinyClip.samples(bundle).stream().filter(Sample::heldOut).toList();
        try (ImageEncoder images = Encoders.image(bundle, Engine.PYTORCH, 1, 2);
                TextEncoder texts = Encoders.text(bundle)) {
            imageEmbeddings = images.encode(
                    heldOut.stream().map(s -> TinyClip.pixels(bundle, s.file())).toList());
            for (Task task : Task.values()) {
                SINGLE.put(task, accuracy(texts, task, PromptEnsemble.SINGLE));
                ENSEMBLE.put(task, accuracy(texts, task, PromptEnsemble.ENSEMBLE));
                System.out.printf(
                        "zero-shot %-5s on %d held-out samples: single prompt %.3f, ensemble" + " of %d prompts %.3f%n",
                        task, heldOut.size(), SINGLE.get(task), PromptEnsemble.ENSEMBLE.size(), ENSEMBLE.get(task));
            }
        }
    }

    enum Task {
        COLOR(COLORS.stream().map(c -> Map.of("color", c)).toList(), Sample::color),
        SHAPE(SHAPES.stream().map(s -> Map.of("shape", s)).toList(), Sample::shape),
        PAIR(
                COLORS.stream()
                        .flatMap(c -> SHAPES.stream().map(s -> Map.of("color", c, "shape", s)))
                        .toList(),
                s -> s.color() + " " + s.shape());

        final List<Map<String, String>> classes;
        final Function<Sample, String> label;

        Task(List<Map<String, String>> classes, Function<Sample, String> label) {
            this.classes = classes;
            this.label = label;
        }

        String name(Map<String, String> attributes) {
            return attributes.containsKey("color") && attributes.containsKey("shape")
                    ? attributes.get("color") + " " + attributes.get("shape")
                    : attributes.values().iterator().next();
        }
    }

    @Test
    void recognisesHeldOutColourShapePairsZeroShot() {
        assertTrue(heldOut.size() >= 10, "held-out samples: " + heldOut.size());
        assertTrue(ENSEMBLE.get(Task.COLOR) >= MIN_COLOR_ACCURACY, "colour: " + ENSEMBLE);
        assertTrue(ENSEMBLE.get(Task.SHAPE) >= MIN_SHAPE_ACCURACY, "shape: " + ENSEMBLE);
        assertTrue(ENSEMBLE.get(Task.PAIR) >= MIN_PAIR_ACCURACY, "pair: " + ENSEMBLE);
    }

    /**
     * The joint task, where wording matters most; the others are printed above for comparison. The
     * tiny model was trained on these very templates, so the ensemble can only tie with its best
     * single prompt (Python's evaluation on 1,120 held-out images: 0.9607 both): on 112 samples one
     * image either way is noise, so "at least as good" is asserted up to one sample.
     */
    @Test
    void promptEnsembleIsAtLeastAsGoodAsOnePrompt() {
        double oneSample = 1.0 / heldOut.size();
        assertTrue(
                ENSEMBLE.get(Task.PAIR) >= SINGLE.get(Task.PAIR) - oneSample - 1e-9,
                "pair: ensemble " + ENSEMBLE.get(Task.PAIR) + " < single " + SINGLE.get(Task.PAIR));
    }

    private static double accuracy(TextEncoder texts, Task task, List<String> templates) {
        float[][] classes = PromptEnsemble.classEmbeddings(texts, task.classes, templates);
        int correct = 0;
        double trueClassProbability = 0;
        for (int i = 0; i < heldOut.size(); i++) {
            double[] p = PromptEnsemble.probabilities(imageEmbeddings[i], classes, bundle.logitScale());
            int best = argmax(p);
            String truth = task.label.apply(heldOut.get(i));
            correct += task.name(task.classes.get(best)).equals(truth) ? 1 : 0;
            trueClassProbability += p[indexOf(task, truth)] / heldOut.size();
        }
        System.out.printf(
                "  %-5s %d prompt(s) per class: accuracy %.3f, mean softmax probability" + " of the true class %.3f%n",
                task, templates.size(), (double) correct / heldOut.size(), trueClassProbability);
        return (double) correct / heldOut.size();
    }

    private static int indexOf(Task task, String name) {
        for (int c = 0; c < task.classes.size(); c++) {
            if (task.name(task.classes.get(c)).equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }
}
