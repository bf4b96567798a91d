package io.clipguard.encode;

import java.util.List;
import java.util.function.Function;

/** An {@link ImageEncoder} made of a function, for tests that fake or fault the engine. */
public final class LambdaEncoder {

    private LambdaEncoder() {}

    /** An encoder of {@code embeddingDim}-long embeddings that runs {@code encode} on each batch. */
    public static ImageEncoder of(int embeddingDim, Function<List<float[]>, float[][]> encode) {
        return new ImageEncoder() {
            @Override
            public float[][] encode(List<float[]> pixelBatch) {
                return encode.apply(pixelBatch);
            }

            @Override
            public int embeddingDim() {
                return embeddingDim;
            }

            @Override
            public void close() {}
        };
    }
}
