package io.clipguard.policy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One thing a policy looks for, defined in words (a prompt ensemble), by example images (few-shot
 * exemplars), or both. Immutable.
 *
 * @param id          stable identifier, used in results and review decisions
 * @param description what the label means, for reviewers
 * @param prompts     the expanded prompt ensemble; their text embeddings are averaged. May be empty
 *                    when the label has exemplars
 * @param action      what happens when the label fires
 * @param severity    1 (lowest) to 5, breaks ties between labels of the same action
 * @param threshold   the score at or above which the label fires (units depend on the rule)
 * @param queue       the review queue flagged uploads go to when this label decides
 * @param exemplars   example images of the label; an image's similarity to the label is the
 *                    largest of its similarity to the prompt ensemble and to each exemplar, so a
 *                    near-duplicate of a known image scores close to 1
 * @param sliceThresholds thresholds for slices of uploads by attribute, the first that matches an
 *                    upload wins; empty (the default) is one threshold for every upload
 */
public record Label(
        String id,
        String description,
        List<String> prompts,
        Action action,
        int severity,
        double threshold,
        String queue,
        List<Path> exemplars,
        List<SliceThreshold> sliceThresholds) {

    public Label {
        prompts = List.copyOf(prompts);
        exemplars = List.copyOf(exemplars);
        sliceThresholds = List.copyOf(sliceThresholds);
        if (prompts.isEmpty() && exemplars.isEmpty()) {
            throw new IllegalArgumentException("label " + id + " needs prompts or exemplars");
        }
    }

    /** A label with one threshold for every upload. */
    public Label(
            String id,
            String description,
            List<String> prompts,
            Action action,
            int severity,
            double threshold,
            String queue,
            List<Path> exemplars) {
        this(id, description, prompts, action, severity, threshold, queue, exemplars, List.of());
    }

    /** A label defined by prompts only. */
    public Label(
            String id,
            String description,
            List<String> prompts,
            Action action,
            int severity,
            double threshold,
            String queue) {
        this(id, description, prompts, action, severity, threshold, queue, List.of());
    }

    /** The same label with another threshold (its slice thresholds kept). */
    public Label withThreshold(double newThreshold) {
        return new Label(id, description, prompts, action, severity, newThreshold, queue, exemplars, sliceThresholds);
    }

    /** The threshold for an upload with these attributes: its slice's, if one is set, else the label's. */
    public double thresholdFor(Map<String, String> attributes) {
        for (SliceThreshold slice : sliceThresholds) {
            if (slice.matches(attributes)) {
                return slice.threshold();
            }
        }
        return threshold;
    }
}
