package io.clipguard.score;

import io.clipguard.policy.Action;
import io.clipguard.policy.Label;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on one image under one policy.
 *
 * @param scores   every label's score, in policy order
 * @param action   the most severe action among fired labels, {@link Action#ALLOW} when none fired
 * @param deciding the label that decided the action, empty when none fired
 */
public record Decision(List<LabelScore> scores, Action action, Optional<Label> deciding) {

    public Decision {
        scores = List.copyOf(scores);
    }

    /** True when a label fired whose action is not allow: the upload needs review or blocking. */
    public boolean flagged() {
        return action != Action.ALLOW;
    }

    /** The review queue of the deciding label, empty when not flagged. */
    public Optional<String> reviewQueue() {
        return flagged() ? deciding.map(Label::queue) : Optional.empty();
    }
}
