package io.clipguard.policy;

import java.util.List;

/**
 * One thing a policy looks for.
 *
 * @param id          stable identifier, used in results and review decisions
 * @param description what the label means, for reviewers
 * @param prompts     the expanded prompt ensemble; their text embeddings are averaged
 * @param action      what happens when the label fires
 * @param severity    1 (lowest) to 5, breaks ties between labels of the same action
 * @param threshold   the score at or above which the label fires (units depend on the rule)
 * @param queue       the review queue flagged uploads go to when this label decides
 */
public record Label(String id, String description, List<String> prompts, Action action, int severity,
                    double threshold, String queue) {

    public Label {
        prompts = List.copyOf(prompts);
    }
}
