package io.clipguard.encode;

import ai.djl.ndarray.NDList;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;

/** One text in (tokenised to fixed-length ids), its L2-normalised embedding out. */
final class TokenTranslator implements Translator<String, float[]> {

    private final ClipTokenizer tokenizer;

    TokenTranslator(ClipTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, String text) {
        return new NDList(ctx.getNDManager().create(tokenizer.ids(text)));
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList output) {
        return L2Norm.normalized(output.singletonOrThrow().toFloatArray());
    }
}
