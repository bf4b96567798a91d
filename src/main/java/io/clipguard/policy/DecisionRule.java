package io.clipguard.policy;

/**
 * How a policy turns similarities into per-label scores.
 *
 * <ul>
 *   <li>{@link #SOFTMAX}: CLIP zero-shot. Softmax over all labels of the cosine similarities times
 *       the model's logit scale; a label's score is its probability (0-1). Labels with action
 *       {@code allow} act as neutral counter-labels that absorb probability mass.</li>
 *   <li>{@link #COSINE_MARGIN}: each label on its own, as Stable Diffusion's safety checker does. A
 *       label's score is its cosine similarity (-1..1) and it fires when the score reaches the
 *       label's threshold (the margin is score - threshold).</li>
 * </ul>
 */
public enum DecisionRule {
    SOFTMAX,
    COSINE_MARGIN;

    /** Parses {@code softmax} or {@code cosine_margin} (any case, '-' or '_'). */
    public static DecisionRule parse(String text) {
        String normal = text.trim().replace('-', '_');
        for (DecisionRule rule : values()) {
            if (rule.name().equalsIgnoreCase(normal)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a decision rule; valid: softmax, cosine_margin");
    }
}
