package io.clipguard.encode;

import java.util.List;

/**
 * Maps texts (prompts, label descriptions) to L2-normalised CLIP text embeddings, comparable with
 * the same bundle's image embeddings by dot product.
 *
 * <p>Texts are lower-cased if the bundle says so, tokenised with the bundle's
 * {@code tokenizer.json}, truncated to the context length (keeping the end token) and padded.
 * Thread-safe; calls are serialised, since text encoding happens when policies load, not per
 * image. {@link #close()} frees native memory; calls after close throw {@link IllegalStateException}.
 */
public interface TextEncoder extends AutoCloseable {

    /**
     * Encodes texts, one embedding per text, in order.
     *
     * @throws EncoderException when the engine fails
     */
    float[][] encode(List<String> texts);

    /** Length of every embedding this encoder returns. */
    int embeddingDim();

    @Override
    void close();
}
