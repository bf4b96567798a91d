package io.clipguard.encode;

import ai.djl.translate.TranslateException;
import java.util.List;

/** {@link ImageEncoder} on a pool of DJL predictors over one loaded image-encoder model. */
final class DjlImageEncoder implements ImageEncoder {

    private final PredictorPool<float[], float[]> pool;
    private final int embeddingDim;
    private final int inputLength;

    DjlImageEncoder(PredictorPool<float[], float[]> pool, int embeddingDim, int inputLength) {
        this.pool = pool;
        this.embeddingDim = embeddingDim;
        this.inputLength = inputLength;
    }

    @Override
    public float[][] encode(List<float[]> pixelBatch) {
        if (pixelBatch.isEmpty()) {
            return new float[0][];
        }
        for (float[] pixels : pixelBatch) {
            if (pixels.length != inputLength) {
                throw new IllegalArgumentException(
                        "expected " + inputLength + " floats per image, got " + pixels.length);
            }
        }
        try {
            return pool.batchPredict(pixelBatch).toArray(new float[0][]);
        } catch (TranslateException e) {
            throw new EncoderException("image encoder failed on a batch of " + pixelBatch.size(), e);
        }
    }

    @Override
    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public void close() {
        pool.close();
    }
}
