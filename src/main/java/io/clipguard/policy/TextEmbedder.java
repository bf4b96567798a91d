package io.clipguard.policy;

import java.util.List;

/** Turns prompts into L2-normalised text embeddings, one per prompt, in order. */
@FunctionalInterface
public interface TextEmbedder {

    float[][] embed(List<String> prompts);
}
