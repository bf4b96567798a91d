package io.clipguard.encode;

import java.util.List;

/**
 * Maps pre-processed images to L2-normalised CLIP image embeddings.
 *
 * <p>Input: each element is one image as {@code ClipPreprocessor} produces it,
 * {@code float[3 * size * size]}, channels first. Output: one {@code float[embeddingDim()]} per
 * input, in input order, with unit L2 norm, so a dot product is a cosine similarity. The whole
 * list runs as one batch; the caller chooses the batch size.
 *
 * <p>Thread-safe: concurrent calls run on separate engine instances up to the configured number
 * and wait for a free one beyond it. {@link #close()} waits for calls in flight, then frees the
 * native memory; calls after close throw {@link IllegalStateException}.
 */
public interface ImageEncoder extends AutoCloseable {

    /**
     * Encodes a batch of pre-processed images.
     *
     * @throws IllegalArgumentException when an element has the wrong length
     * @throws EncoderException when the engine fails
     */
    float[][] encode(List<float[]> pixelBatch);

    /** Length of every embedding this encoder returns. */
    int embeddingDim();

    @Override
    void close();
}
