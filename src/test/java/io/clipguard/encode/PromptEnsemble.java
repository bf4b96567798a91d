package io.clipguard.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Zero-shot class embeddings, CLIP paper style: each class is described by several prompt
 * templates; each prompt is embedded and L2-normalised, the class embedding is their mean,
 * re-normalised. The templates are the tiny model's (models/tiny_shapes.py): a missing colour drops
 * the colour words, a missing shape is said as "shape", and "a" becomes "an" before a vowel.
 */
final class PromptEnsemble {

    static final List<String> SINGLE = List.of("a photo of a {color} {shape}");
    static final List<String> ENSEMBLE = List.of(
            "a photo of a {color} {shape}",
            "a {color} {shape}",
            "an image of a {color} {shape}",
            "a picture of a {color} {shape}",
            "a drawing of a {color} {shape}",
            "a {shape} that is {color}",
            "{shape} in {color}",
            "{color} {shape}");

    private PromptEnsemble() {}

    /** One unit-length embedding per class, in order. */
    static float[][] classEmbeddings(TextEncoder encoder, List<Map<String, String>> classes, List<String> templates) {
        float[][] out = new float[classes.size()][];
        for (int c = 0; c < classes.size(); c++) {
            Map<String, String> attributes = classes.get(c);
            float[][] prompts = encoder.encode(
                    templates.stream().map(t -> prompt(t, attributes)).toList());
            out[c] = L2Norm.normalized(mean(prompts));
        }
        return out;
    }

    static String prompt(String template, Map<String, String> attributes) {
        String color = attributes.get("color");
        String text = color == null
                ? template.replace(" that is {color}", "")
                        .replace(" in {color}", "")
                        .replace("{color} ", "")
                : template.replace("{color}", color);
        text = text.replace("{shape}", attributes.getOrDefault("shape", "shape"));
        return articles(text);
    }

    private static String articles(String text) {
        String[] words = text.split(" ");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            boolean vowelNext = i + 1 < words.length && "aeiou".indexOf(words[i + 1].charAt(0)) >= 0;
            out.add(words[i].equals("a") && vowelNext ? "an" : words[i]);
        }
        return String.join(" ", out);
    }

    private static float[] mean(float[][] vectors) {
        float[] sum = new float[vectors[0].length];
        for (float[] v : vectors) {
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i] / vectors.length;
            }
        }
        return sum;
    }

    /** Softmax over {@code logitScale * cosine}; embeddings are unit length, so cosine = dot. */
    static double[] probabilities(float[] image, float[][] classes, double logitScale) {
        double[] logits = new double[classes.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes.length; c++) {
            logits[c] = logitScale * TinyClip.dot(image, classes[c]);
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = Math.exp(logits[c] - max);
            sum += logits[c];
        }
        for (int c = 0; c < logits.length; c++) {
            logits[c] /= sum;
        }
        return logits;
    }
}
