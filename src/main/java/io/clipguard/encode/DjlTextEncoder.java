package io.clipguard.encode;

import ai.djl.translate.TranslateException;
import java.util.List;

/** {@link TextEncoder} on one DJL predictor; the tokenizer is closed with it. */
final class DjlTextEncoder implements TextEncoder {

    private final PredictorPool<String, float[]> pool;
    private final ClipTokenizer tokenizer;
    private final int embeddingDim;

    DjlTextEncoder(PredictorPool<String, float[]> pool, ClipTokenizer tokenizer, int embeddingDim) {
        this.pool = pool;
        this.tokenizer = tokenizer;
        this.embeddingDim = embeddingDim;
    }

    @Override
    public float[][] encode(List<String> texts) {
        if (texts.isEmpty()) {
            return new float[0][];
        }
        try {
            return pool.batchPredict(texts).toArray(new float[0][]);
        } catch (TranslateException e) {
            throw new EncoderException("text encoder failed on " + texts.size() + " texts", e);
        }
    }

    /** The token ids the encoder sees for {@code text}; for tests and diagnostics. */
    long[] tokenIds(String text) {
        return tokenizer.ids(text);
    }

    @Override
    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public void close() {
        pool.close();
        tokenizer.close();
    }
}
