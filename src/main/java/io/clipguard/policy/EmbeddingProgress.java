package io.clipguard.policy;

/** Told how far embedding a policy has got; called on the embedding thread. */
@FunctionalInterface
public interface EmbeddingProgress {

    EmbeddingProgress SILENT = (done, total) -> {};

    /**
     * @param done  prompts and exemplar images embedded so far
     * @param total prompts and exemplar images to embed
     */
    void embedded(int done, int total);
}
