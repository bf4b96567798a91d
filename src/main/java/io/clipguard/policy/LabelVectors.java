package io.clipguard.policy;

import java.util.List;

/**
 * What one label embeds to for one model: the reference vector scored against (prompt ensemble mean,
 * or the exemplars' mean for a label without prompts) and one vector per exemplar image. Unit length.
 *
 * @param reference the label's reference embedding
 * @param exemplars the exemplar images' embeddings, in the label's order
 */
public record LabelVectors(float[] reference, List<float[]> exemplars) {

    public LabelVectors {
        exemplars = List.copyOf(exemplars);
    }
}
