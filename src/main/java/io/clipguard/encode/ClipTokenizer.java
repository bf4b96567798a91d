package io.clipguard.encode;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.clipguard.model.BundleException;
import io.clipguard.model.TextSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Text to the text encoder's fixed-length token ids: optional lower-casing, the bundle's
 * Hugging Face tokenizer (which adds the begin and end tokens), truncation to the context length
 * keeping the end token, then padding with the bundle's pad id. Padding is done here rather than by
 * the tokenizer so that the id always comes from the manifest. Thread-safe.
 */
final class ClipTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final TextSpec spec;

    private ClipTokenizer(HuggingFaceTokenizer tokenizer, TextSpec spec) {
        this.tokenizer = tokenizer;
        this.spec = spec;
    }

    /**
     * Loads {@code tokenizerJson} and checks that it frames a text with the manifest's begin and
     * end ids.
     *
     * @throws BundleException when the file cannot be loaded or frames texts differently
     */
    static ClipTokenizer load(Path tokenizerJson, TextSpec spec) {
        DjlEnvironment.prepare(0);
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(tokenizerJson)
                    .optAddSpecialTokens(true)
                    .optTruncation(true)
                    .optMaxLength(spec.contextLength())
                    .optPadding(false)
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new BundleException(
                    tokenizerJson + ": cannot load tokenizer (" + e.getMessage() + "); re-export the bundle", e);
        }
        ClipTokenizer clip = new ClipTokenizer(tokenizer, spec);
        clip.checkFraming(tokenizerJson);
        return clip;
    }

    /** Token ids of {@code text}, exactly {@code contextLength} long. */
    long[] ids(String text) {
        String input = spec.lowercase() ? text.toLowerCase(Locale.ROOT) : text;
        long[] ids = tokenizer.encode(input).getIds();
        long[] padded = Arrays.copyOf(ids, spec.contextLength());
        Arrays.fill(padded, Math.min(ids.length, padded.length), padded.length, spec.padTokenId());
        return padded;
    }

    private void checkFraming(Path tokenizerJson) {
        long[] ids = tokenizer.encode("a").getIds();
        if (ids.length < 2 || ids[0] != spec.bosTokenId() || ids[ids.length - 1] != spec.eosTokenId()) {
            close();
            throw new BundleException(tokenizerJson + ": encodes 'a' as " + Arrays.toString(ids)
                    + " but manifest.json says bos_token_id=" + spec.bosTokenId() + " and eos_token_id="
                    + spec.eosTokenId() + "; fix text.bos_token_id/eos_token_id or the tokenizer's"
                    + " post_processor");
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
