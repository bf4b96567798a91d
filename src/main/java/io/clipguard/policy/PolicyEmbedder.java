package io.clipguard.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Embeds policies for one model, remembering every label's vectors by {@link EmbeddingKey}, so a
 * policy that differs from a known one only in thresholds, actions or queues embeds nothing, and
 * precomputed embeddings ({@link #remember}) are used when their keys match.
 *
 * <p>Thread-safe: {@link #embed} is serialised (it runs when a policy loads, not per image). The memory
 * grows with the distinct labels ever seen, a few KB each.
 */
public final class PolicyEmbedder {

    private static final int PROMPTS_PER_CALL = 16;

    private final String modelId;
    private final float logitScale;
    private final TextEmbedder text;
    private final ImageEmbedder images;
    private final Map<String, LabelVectors> known = new ConcurrentHashMap<>();

    public PolicyEmbedder(String modelId, float logitScale, TextEmbedder text, ImageEmbedder images) {
        this.modelId = modelId;
        this.logitScale = logitScale;
        this.text = text;
        this.images = images;
    }

    public String modelId() {
        return modelId;
    }

    /** Adds precomputed vectors; entries computed with another model are ignored. Returns how many were added. */
    public int remember(PolicyEmbeddings embeddings) {
        if (!modelId.equals(embeddings.modelId())) {
            return 0;
        }
        embeddings.labels().forEach(entry -> known.put(entry.key(), entry.vectors()));
        return embeddings.labels().size();
    }

    /** The labels of a policy whose vectors are not known yet. */
    public List<Label> missing(Policy policy) {
        return policy.labels().stream()
                .filter(label -> !known.containsKey(EmbeddingKey.of(modelId, label)))
                .toList();
    }

    /** Embeds a policy, computing only the labels not known yet. */
    public EmbeddedPolicy embed(Policy policy) {
        return embed(policy, EmbeddingProgress.SILENT);
    }

    /**
     * Embeds a policy, computing only the labels not known yet.
     *
     * @throws PolicyException when an exemplar cannot be embedded
     * @throws RuntimeException from the encoders when the engine fails
     */
    public synchronized EmbeddedPolicy embed(Policy policy, EmbeddingProgress progress) {
        List<Label> missing = missing(policy);
        int total = missing.stream()
                .mapToInt(label -> label.prompts().size() + label.exemplars().size())
                .sum();
        int done = 0;
        for (Label label : missing) {
            known.put(EmbeddingKey.of(modelId, label), compute(label));
            done += label.prompts().size() + label.exemplars().size();
            progress.embedded(done, total);
        }
        List<float[]> references = new ArrayList<>();
        List<List<float[]>> exemplars = new ArrayList<>();
        for (Label label : policy.labels()) {
            LabelVectors vectors = known.get(EmbeddingKey.of(modelId, label));
            references.add(vectors.reference());
            exemplars.add(vectors.exemplars());
        }
        return new EmbeddedPolicy(policy, modelId, logitScale, references, exemplars);
    }

    /** The known vectors of a policy's labels, for writing next to the policy file. */
    public PolicyEmbeddings export(Policy policy) {
        List<PolicyEmbeddings.Entry> entries = new ArrayList<>();
        for (Label label : policy.labels()) {
            String key = EmbeddingKey.of(modelId, label);
            LabelVectors vectors = known.get(key);
            if (vectors == null) {
                throw new IllegalStateException("label " + label.id() + " is not embedded yet");
            }
            entries.add(new PolicyEmbeddings.Entry(label.id(), key, vectors));
        }
        return new PolicyEmbeddings(modelId, EmbeddingKey.of(modelId, policy), entries);
    }

    private LabelVectors compute(Label label) {
        List<float[]> exemplars = label.exemplars().isEmpty() ? List.of() : List.of(images.embed(label.exemplars()));
        float[] reference;
        if (label.prompts().isEmpty()) {
            reference = PromptEnsemble.mean(exemplars.toArray(float[][]::new), 0, exemplars.size());
        } else {
            float[][] prompts = embedPrompts(label.prompts());
            reference = PromptEnsemble.mean(prompts, 0, prompts.length);
        }
        return new LabelVectors(reference, exemplars);
    }

    private float[][] embedPrompts(List<String> prompts) {
        List<float[]> vectors = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += PROMPTS_PER_CALL) {
            List<String> chunk = prompts.subList(from, Math.min(prompts.size(), from + PROMPTS_PER_CALL));
            vectors.addAll(List.of(text.embed(chunk)));
        }
        return vectors.toArray(float[][]::new);
    }
}
