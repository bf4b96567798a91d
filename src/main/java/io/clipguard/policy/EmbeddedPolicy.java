package io.clipguard.policy;

import java.util.List;

/**
 * A policy made ready for one model: one unit-length text embedding per label (the prompt ensemble's
 * mean, re-normalised), plus the model's identity and logit scale. Immutable; safe to share across
 * threads.
 *
 * @param policy          the policy
 * @param modelId         the model the embeddings were computed with
 * @param logitScale      the model's learned multiplier for cosine similarities (softmax rule)
 * @param labelEmbeddings one unit vector per label, in the policy's label order
 */
public record EmbeddedPolicy(Policy policy, String modelId, float logitScale, List<float[]> labelEmbeddings) {

    public EmbeddedPolicy {
        labelEmbeddings = List.copyOf(labelEmbeddings);
        if (labelEmbeddings.size() != policy.labels().size()) {
            throw new IllegalArgumentException("expected " + policy.labels().size() + " label embeddings, got "
                    + labelEmbeddings.size());
        }
    }

    /** Embeds every label's prompt ensemble: each prompt embedded and normalised, averaged, re-normalised. */
    public static EmbeddedPolicy embed(Policy policy, String modelId, float logitScale, TextEmbedder embedder) {
        float[][] promptEmbeddings = embedder.embed(policy.allPrompts());
        List<float[]> labelEmbeddings = new java.util.ArrayList<>();
        int next = 0;
        for (Label label : policy.labels()) {
            int count = label.prompts().size();
            labelEmbeddings.add(PromptEnsemble.mean(promptEmbeddings, next, count));
            next += count;
        }
        return new EmbeddedPolicy(policy, modelId, logitScale, labelEmbeddings);
    }
}
