package io.clipguard.app;

import io.clipguard.config.ModelConfig;
import io.clipguard.encode.Encoders;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.encode.TextEncoder;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.ImageDecoder;
import io.clipguard.image.ImageIoDecoder;
import io.clipguard.image.ImageRejectedException;
import io.clipguard.model.ModelBundle;
import io.clipguard.pipeline.InlineImageSource;
import io.clipguard.pipeline.ModelIdentity;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.pipeline.Stages;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model side of the application, loaded once: the validated bundle, its image encoder, the
 * policy embedded with its text encoder, and the {@link Moderator} that uses them. Shared by the
 * streaming job and the {@code score} command. Thread-safe; close it to free the engine.
 */
public final class ModelRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);
    private static final long MAX_PIXELS = 100_000_000L;

    private final ModelBundle bundle;
    private final ImageEncoder imageEncoder;
    private final EmbeddedPolicy policy;
    private final Moderator moderator;

    private ModelRuntime(ModelBundle bundle, ImageEncoder imageEncoder, EmbeddedPolicy policy, long maxImageBytes) {
        this.bundle = bundle;
        this.imageEncoder = imageEncoder;
        this.policy = policy;
        ImageDecoder decoder = new ImageIoDecoder(MAX_PIXELS);
        ClipPreprocessor preprocessor = ClipPreprocessor.from(bundle.image());
        this.moderator = new Moderator(new InlineImageSource(maxImageBytes), bytes -> decode(decoder, bytes),
                preprocessor::apply, imageEncoder::encode, () -> this.policy,
                new ModelIdentity(bundle.modelId(), bundle.modelVersion()), Clock.systemUTC());
    }

    /** Validates and loads the bundle, embeds the policy, and opens the image encoder. */
    public static ModelRuntime open(ModelConfig model, Path policyFile, long maxImageBytes) {
        ModelBundle bundle = ModelBundle.load(model.dir());
        Policy policy = PolicyLoader.load(policyFile);
        EmbeddedPolicy embedded;
        long start = System.nanoTime();
        try (TextEncoder text = Encoders.text(bundle)) {
            embedded = EmbeddedPolicy.embed(policy, bundle.modelId(), (float) bundle.logitScale(), text::encode);
        }
        LOG.info("policy {} v{}: {} labels, {} prompts embedded with {} in {} ms", policy.id(), policy.version(),
                policy.labels().size(), policy.allPrompts().size(), bundle.modelId(),
                (System.nanoTime() - start) / 1_000_000);
        ImageEncoder imageEncoder = Encoders.image(bundle, model.engine(), model.instances(), model.intraOpThreads());
        return new ModelRuntime(bundle, imageEncoder, embedded, maxImageBytes);
    }

    private static java.awt.image.BufferedImage decode(ImageDecoder decoder, byte[] bytes)
            throws RejectedUploadException {
        try {
            return decoder.decode(bytes);
        } catch (ImageRejectedException e) {
            throw new RejectedUploadException(Reason.valueOf(e.reason().name()), e.getMessage(), e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    public EmbeddedPolicy policy() {
        return policy;
    }

    /** The image encoder, thread-safe; for a batcher in front of it. */
    public ImageEncoder imageEncoder() {
        return imageEncoder;
    }

    public Moderator moderator() {
        return moderator;
    }

    @Override
    public void close() {
        imageEncoder.close();
    }
}
