package io.clipguard.policy;

import java.util.List;

/**
 * A validated moderation policy: what to look for and how strictly. Immutable.
 *
 * @param id      the policy's name
 * @param version the version stamped on every decision made with it
 * @param rule    how similarities become scores
 * @param labels  the labels, in file order; at least one
 */
public record Policy(String id, String version, DecisionRule rule, List<Label> labels) {

    public Policy {
        labels = List.copyOf(labels);
    }

    /** All prompts of all labels, label by label, in order. */
    public List<String> allPrompts() {
        return labels.stream().flatMap(label -> label.prompts().stream()).toList();
    }
}
