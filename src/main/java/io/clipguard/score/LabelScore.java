package io.clipguard.score;

import io.clipguard.policy.Label;

/**
 * One label's outcome for one image.
 *
 * @param label     the label
 * @param score     the score under the policy's rule (probability for softmax, cosine for margin)
 * @param threshold the label's threshold
 * @param fired     {@code score >= threshold}
 */
public record LabelScore(Label label, double score, double threshold, boolean fired) {

    /** How far past its threshold the score is; negative when it did not fire. */
    public double margin() {
        return score - threshold;
    }
}
