package io.clipguard.encode;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** One image's CHW floats in, its L2-normalised embedding out; DJL's STACK batchifier batches. */
final class PixelTranslator implements Translator<float[], float[]> {

    private final Shape shape;
    private final int length;

    PixelTranslator(int sizePx) {
        this.shape = new Shape(3, sizePx, sizePx);
        this.length = 3 * sizePx * sizePx;
    }

    int inputLength() {
        return length;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, float[] pixels) {
        if (pixels.length != length) {
            throw new IllegalArgumentException("expected " + length + " floats (3x" + shape.get(1) + "x" + shape.get(2)
                    + "), got " + pixels.length);
        }
        return new NDList(ctx.getNDManager().create(pixels, shape));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList output) {
        return L2Norm.normalized(output.singletonOrThrow().toFloatArray());
    }
}
