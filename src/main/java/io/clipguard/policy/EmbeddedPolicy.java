package io.clipguard.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A policy made ready for one model: per label one unit-length reference embedding (the prompt
 * ensemble's mean, re-normalised; for a label defined only by examples, the exemplars' mean) and the
 * unit-length embeddings of its exemplar images, plus the model's identity and logit scale.
 * Immutable; safe to share across threads.
 *
 * @param policy             the policy
 * @param modelId            the model the embeddings were computed with
 * @param logitScale         the model's learned multiplier for cosine similarities (softmax rule)
 * @param labelEmbeddings    one unit vector per label, in the policy's label order
 * @param exemplarEmbeddings per label, the unit vectors of its exemplar images (often none)
 */
public record EmbeddedPolicy(
        Policy policy,
        String modelId,
        float logitScale,
        List<float[]> labelEmbeddings,
        List<List<float[]>> exemplarEmbeddings) {

    public EmbeddedPolicy {
        labelEmbeddings = List.copyOf(labelEmbeddings);
        exemplarEmbeddings = exemplarEmbeddings.stream().map(List::copyOf).toList();
        int labels = policy.labels().size();
        if (labelEmbeddings.size() != labels || exemplarEmbeddings.size() != labels) {
            throw new IllegalArgumentException("expected " + labels + " label embeddings, got " + labelEmbeddings.size()
                    + " and " + exemplarEmbeddings.size() + " exemplar lists");
        }
    }

    /** A policy whose labels have no exemplars. */
    public EmbeddedPolicy(Policy policy, String modelId, float logitScale, List<float[]> labelEmbeddings) {
        this(
                policy,
                modelId,
                logitScale,
                labelEmbeddings,
                java.util.Collections.nCopies(policy.labels().size(), List.of()));
    }

    /** Embeds every label's prompt ensemble: each prompt embedded and normalised, averaged, re-normalised. */
    public static EmbeddedPolicy embed(Policy policy, String modelId, float logitScale, TextEmbedder embedder) {
        float[][] promptEmbeddings = embedder.embed(policy.allPrompts());
        List<float[]> labelEmbeddings = new ArrayList<>();
        int next = 0;
        for (Label label : policy.labels()) {
            int count = label.prompts().size();
            labelEmbeddings.add(PromptEnsemble.mean(promptEmbeddings, next, count));
            next += count;
        }
        return new EmbeddedPolicy(policy, modelId, logitScale, labelEmbeddings);
    }

    /** The same embeddings under another version of the policy whose labels embed identically. */
    public EmbeddedPolicy withPolicy(Policy other) {
        return new EmbeddedPolicy(other, modelId, logitScale, labelEmbeddings, exemplarEmbeddings);
    }
}
