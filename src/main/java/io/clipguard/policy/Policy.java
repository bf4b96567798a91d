package io.clipguard.policy;

import java.util.List;

/**
 * A validated moderation policy: what to look for and how strictly. Immutable.
 *
 * @param id          the policy's name; hot-reload records are keyed by it
 * @param version     the version stamped on every decision made with it
 * @param rule        how similarities become scores
 * @param labels      the labels, in file order; at least one
 * @param temperature divides the model's logit scale under the softmax rule (1 = as trained); fitted
 *                    by {@code clipguard tune} so that scores are calibrated probabilities
 */
public record Policy(String id, String version, DecisionRule rule, List<Label> labels, double temperature) {

    public Policy {
        labels = List.copyOf(labels);
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a positive number, got " + temperature);
        }
    }

    /** A policy at temperature 1. */
    public Policy(String id, String version, DecisionRule rule, List<Label> labels) {
        this(id, version, rule, labels, 1.0);
    }

    /** All prompts of all labels, label by label, in order. */
    public List<String> allPrompts() {
        return labels.stream().flatMap(label -> label.prompts().stream()).toList();
    }
}
