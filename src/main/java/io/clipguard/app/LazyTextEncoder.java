package io.clipguard.app;

import io.clipguard.encode.Encoders;
import io.clipguard.encode.TextEncoder;
import io.clipguard.model.ModelBundle;
import io.clipguard.policy.TextEmbedder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bundle's text encoder, loaded on first use: when every policy's embeddings are precomputed it is
 * never loaded (faster start-up, less memory); a hot reload that brings new prompts loads it then.
 * Thread-safe (calls are serialised); close it to free the engine if it was loaded.
 */
final class LazyTextEncoder implements TextEmbedder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LazyTextEncoder.class);

    private final ModelBundle bundle;
    private TextEncoder encoder;
    private boolean closed;

    LazyTextEncoder(ModelBundle bundle) {
        this.bundle = bundle;
    }

    @Override
    public synchronized float[][] embed(List<String> prompts) {
        if (closed) {
            throw new IllegalStateException("text encoder closed");
        }
        if (encoder == null) {
            long start = System.nanoTime();
            encoder = Encoders.text(bundle);
            LOG.info("loaded text encoder of {} in {} ms", bundle.modelId(), (System.nanoTime() - start) / 1_000_000);
        }
        return encoder.encode(prompts);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (encoder != null) {
            encoder.close();
        }
    }
}
