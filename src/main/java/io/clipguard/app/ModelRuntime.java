package io.clipguard.app;

import io.clipguard.config.InputConfig;
import io.clipguard.config.ModelConfig;
import io.clipguard.config.PolicyConfig;
import io.clipguard.encode.Encoders;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.image.ClipPreprocessor;
import io.clipguard.image.ImageAcceleration;
import io.clipguard.image.ImageDecoder;
import io.clipguard.image.ImageRejectedException;
import io.clipguard.image.Rgb8;
import io.clipguard.image.RoutingImageDecoder;
import io.clipguard.ingest.FetchStats;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.model.ModelBundle;
import io.clipguard.pdq.PdqHasher;
import io.clipguard.pipeline.ImageHash;
import io.clipguard.pipeline.ModelIdentity;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.pipeline.Stages;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.EmbeddingProgress;
import io.clipguard.policy.ImageEmbedder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model side of the application, loaded once: the validated bundle, its image encoder, the
 * policy embedded with its text encoder, and the {@link Moderator} that uses them. Shared by the
 * streaming job and the {@code score} command. Thread-safe; close it to free the engine.
 */
public final class ModelRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);

    private final ModelBundle bundle;
    private final ImageEncoder imageEncoder;
    private final PolicyRuntime policies;
    private final Moderator moderator;
    private final UploadImageSource source;

    private ModelRuntime(
            ModelBundle bundle,
            ImageEncoder imageEncoder,
            PolicyRuntime policies,
            InputConfig input,
            ImageDecoder decoder,
            ClipPreprocessor preprocessor,
            Stages.Banks banks,
            boolean dihedral) {
        this.bundle = bundle;
        this.imageEncoder = imageEncoder;
        this.policies = policies;
        Supplier<EmbeddedPolicy> shadow = policies.shadow()
                .<Supplier<EmbeddedPolicy>>map(holder -> holder)
                .orElse(() -> null);
        this.source = UploadImageSource.from(input.fetch(), input.limits().maxImageBytes());
        this.moderator = new Moderator(
                source,
                bytes -> decode(decoder, bytes),
                image -> pdq(image, dihedral),
                banks,
                preprocessor::apply,
                imageEncoder::encode,
                policies.live(),
                shadow,
                new ModelIdentity(bundle.modelId(), bundle.modelVersion()),
                Clock.systemUTC());
    }

    /** Validates and loads the bundle, embeds the policy, and opens the image encoder. */
    public static ModelRuntime open(ModelConfig model, Path policyFile, long maxImageBytes) {
        return open(model, PolicyConfig.of(policyFile), maxImageBytes, EmbeddingProgress.SILENT);
    }

    /** As {@link #open(ModelConfig, PolicyConfig, InputConfig, EmbeddingProgress)} with default input settings. */
    public static ModelRuntime open(
            ModelConfig model, PolicyConfig policy, long maxImageBytes, EmbeddingProgress progress) {
        return open(model, policy, InputConfig.withMaxImageBytes(maxImageBytes), progress);
    }

    /**
     * Validates and loads the bundle, opens the image encoder, and loads the live and shadow policies
     * (with precomputed embeddings where they match, else computing them unless the config forbids it).
     */
    public static ModelRuntime open(
            ModelConfig model, PolicyConfig policy, InputConfig input, EmbeddingProgress progress) {
        return open(model, policy, input, Stages.Banks.NONE, false, progress);
    }

    /**
     * As above, with uploads looked up in {@code banks} (their 8 rotations and flips too with {@code
     * dihedral}) before the policy decides.
     */
    public static ModelRuntime open(
            ModelConfig model,
            PolicyConfig policy,
            InputConfig input,
            Stages.Banks banks,
            boolean dihedral,
            EmbeddingProgress progress) {
        ModelBundle bundle = ModelBundle.load(model.dir());
        ImageEncoder imageEncoder =
                Encoders.image(bundle, model.engine(), model.instances(), model.intraOpThreads(), model.tensorRt());
        try {
            ImageDecoder decoder = decoder(input, bundle);
            ClipPreprocessor preprocessor = ClipPreprocessor.from(bundle.image());
            if (ImageAcceleration.complete()) {
                LOG.info("Images: {}", ImageAcceleration.summary());
            } else {
                LOG.warn("Images: {}", ImageAcceleration.summary());
            }
            ImageEmbedder exemplars = new ExemplarImages(decoder, preprocessor, imageEncoder);
            PolicyRuntime policies = PolicyRuntime.open(bundle, policy, exemplars, progress);
            return new ModelRuntime(bundle, imageEncoder, policies, input, decoder, preprocessor, banks, dihedral);
        } catch (RuntimeException e) {
            imageEncoder.close();
            throw e;
        }
    }

    /** Uploads and exemplars alike: JPEGs reduced in the DCT domain to no less than margin x the model's input. */
    private static ImageDecoder decoder(InputConfig input, ModelBundle bundle) {
        return input.reduceJpeg()
                ? new RoutingImageDecoder(
                        input.limits(),
                        input.reduceJpegMargin() * bundle.image().sizePx())
                : new RoutingImageDecoder(input.limits(), Integer.MAX_VALUE);
    }

    /**
     * The decoded image's PDQ hash, from its pixels as the pre-processor reads them; with {@code
     * dihedral}, its 8 rotations and flips to look up as well (from the same DCT).
     */
    private static ImageHash pdq(java.awt.image.BufferedImage image, boolean dihedral) {
        Rgb8 pixels = Rgb8.of(image);
        if (dihedral) {
            PdqHasher.Dihedral all = PdqHasher.dihedral(pixels.widthPx(), pixels.heightPx(), pixels.rgb());
            return new ImageHash(all.original(), all.quality(), all.all());
        }
        PdqHasher.Hashed hashed = PdqHasher.hash(pixels.widthPx(), pixels.heightPx(), pixels.rgb());
        return new ImageHash(hashed.hash(), hashed.quality(), List.of(hashed.hash()));
    }

    private static java.awt.image.BufferedImage decode(ImageDecoder decoder, byte[] bytes)
            throws RejectedUploadException {
        try {
            return decoder.decodeReusing(bytes); // the moderator pre-processes it at once, on this thread
        } catch (ImageRejectedException e) {
            if (e.getCause() instanceof OutOfMemoryError outOfMemory) {
                throw outOfMemory; // other uploads may hold the heap: retried before the image is blamed
            }
            throw new RejectedUploadException(Reason.valueOf(e.reason().name()), e.getMessage(), e);
        }
    }

    public ModelBundle bundle() {
        return bundle;
    }

    /** The live policy in force now. */
    public EmbeddedPolicy policy() {
        return policies.live().get();
    }

    /** The live and shadow policies, for hot reload. */
    public PolicyRuntime policies() {
        return policies;
    }

    /** The image encoder, thread-safe; for a batcher in front of it. */
    public ImageEncoder imageEncoder() {
        return imageEncoder;
    }

    public Moderator moderator() {
        return moderator;
    }

    /** Fetch attempts and failures of images by URI since start-up. */
    public FetchStats fetchStats() {
        return source.stats();
    }

    @Override
    public void close() {
        policies.close();
        imageEncoder.close();
    }
}
