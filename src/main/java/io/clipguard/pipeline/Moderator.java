package io.clipguard.pipeline;

import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ShadowDecision;
import io.clipguard.avro.Timings;
import io.clipguard.avro.UploadSource;
import io.clipguard.avro.UploadedImage;
import io.clipguard.banks.BankMatch;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.score.Decision;
import io.clipguard.score.Scorer;
import java.awt.image.BufferedImage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One upload's way from event to decision: image source, decode, pre-process, encode, score. Plain
 * Java, no Kafka. Thread-safe if its stages are.
 *
 * <p>Work is split into {@link #prepare} (CPU work per image) and {@link #decide} (scoring an
 * embedding), so a batcher can encode many prepared images at once; {@link #moderate} does all of it
 * for one upload.
 */
public final class Moderator {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Moderator.class);

    private final Stages.ImageSource source;
    private final Stages.Decoder decoder;
    private final Stages.Hasher hasher;
    private final Stages.Banks banks;
    private final Stages.Preprocessor preprocessor;
    private final Stages.Embedder embedder;
    private final Supplier<EmbeddedPolicy> policy;
    private final Supplier<EmbeddedPolicy> shadow;
    private final ModelIdentity model;
    private final Scorer scorer = new Scorer();
    private final Clock clock;

    public Moderator(
            Stages.ImageSource source,
            Stages.Decoder decoder,
            Stages.Preprocessor preprocessor,
            Stages.Embedder embedder,
            Supplier<EmbeddedPolicy> policy,
            ModelIdentity model,
            Clock clock) {
        this(source, decoder, preprocessor, embedder, policy, () -> null, model, clock);
    }

    /**
     * A moderator that also scores each upload with a shadow (candidate) policy and reports, on
     * {@link Outcome.Scored#shadow()}, the shadow's result where its action or deciding label differs.
     *
     * @param shadow the candidate policy, or a supplier of null while there is none
     */
    public Moderator(
            Stages.ImageSource source,
            Stages.Decoder decoder,
            Stages.Preprocessor preprocessor,
            Stages.Embedder embedder,
            Supplier<EmbeddedPolicy> policy,
            Supplier<EmbeddedPolicy> shadow,
            ModelIdentity model,
            Clock clock) {
        this(
                source,
                decoder,
                Stages.Hasher.NONE,
                Stages.Banks.NONE,
                preprocessor,
                embedder,
                policy,
                shadow,
                model,
                clock);
    }

    /**
     * The production moderator: every scored upload also carries its image's PDQ hash, computed from
     * the decoded pixels before they are pre-processed (one decode for both), and bank matches decide
     * before the policy as {@link KnownContentDecision} says.
     */
    public Moderator(
            Stages.ImageSource source,
            Stages.Decoder decoder,
            Stages.Hasher hasher,
            Stages.Banks banks,
            Stages.Preprocessor preprocessor,
            Stages.Embedder embedder,
            Supplier<EmbeddedPolicy> policy,
            Supplier<EmbeddedPolicy> shadow,
            ModelIdentity model,
            Clock clock) {
        this.shadow = shadow;
        this.source = source;
        this.decoder = decoder;
        this.hasher = hasher;
        this.banks = banks;
        this.preprocessor = preprocessor;
        this.embedder = embedder;
        this.policy = policy;
        this.model = model;
        this.clock = clock;
    }

    /**
     * An upload made ready for the encoder, with the time its preparation took.
     *
     * @param pdq its image's PDQ hash and quality, or null where the moderator does not hash
     */
    public record Prepared(
            UploadedImage upload,
            SourceCoordinates from,
            float[] pixels,
            ImageHash pdq,
            double decodeMillis,
            double preprocessMillis) {}

    /**
     * Scores one upload end to end; never throws for bad input. Returns {@link Outcome.Retry} for a
     * failure that is not the upload's fault (memory, the encoder).
     */
    public Outcome moderate(UploadedImage upload, SourceCoordinates from) {
        Prepared prepared;
        try {
            prepared = prepare(upload, image(upload), from);
        } catch (RejectedUploadException e) {
            return failed(upload.getUploadId(), e.reason(), e.getMessage(), from);
        } catch (RetryLaterException e) {
            return new Outcome.Retry(upload.getUploadId(), e.getMessage(), e.lastResort());
        }
        long start = System.nanoTime();
        float[] embedding;
        try {
            embedding = embedder.embed(List.of(prepared.pixels()))[0];
        } catch (RuntimeException | Error e) {
            return new Outcome.Retry(upload.getUploadId(), "the encoder failed: " + e);
        }
        return decide(prepared, embedding, millisSince(start));
    }

    /** The upload's encoded image: its inline bytes, or fetched from its URI (blocking I/O). */
    public byte[] image(UploadedImage upload) throws RejectedUploadException {
        return source.bytes(upload);
    }

    /**
     * Decodes and pre-processes an upload's image.
     *
     * @throws RejectedUploadException for an image that cannot be scored
     * @throws RetryLaterException     when memory ran out: other uploads' images share the heap, so
     *                                 the image is tried again before it is blamed
     */
    public Prepared prepare(UploadedImage upload, byte[] image, SourceCoordinates from)
            throws RejectedUploadException, RetryLaterException {
        try {
            long start = System.nanoTime();
            BufferedImage decoded = decoder.decode(image);
            double decodeMillis = millisSince(start);
            start = System.nanoTime();
            ImageHash pdq = hash(decoded); // before pre-processing: the pixels may be reused after
            float[] pixels = preprocess(decoded);
            return new Prepared(upload, from, pixels, pdq, decodeMillis, millisSince(start));
        } catch (OutOfMemoryError e) {
            throw new RetryLaterException(
                    "ran out of memory decoding an image of " + image.length + " bytes", e, Reason.IMAGE_TOO_LARGE);
        }
    }

    /**
     * The decoded image's PDQ hash, or null when hashing fails: the upload is still scored by the
     * policy (without a bank lookup), and the failure is logged, never the stream's.
     */
    private ImageHash hash(BufferedImage image) {
        try {
            return hasher.hash(image);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not hash an image of {} x {}; scored without a bank lookup",
                    image.getWidth(),
                    image.getHeight(),
                    e);
            return null;
        }
    }

    /** Pre-processes a decoded image; a failure here is this image's, never the stream's. */
    private float[] preprocess(BufferedImage image) throws RejectedUploadException {
        try {
            return preprocessor.pixels(image);
        } catch (RuntimeException e) {
            throw new RejectedUploadException(Reason.IMAGE_UNDECODABLE, "cannot pre-process the image: " + e, e);
        }
    }

    /** Scores a prepared upload's embedding against the policy in force now. */
    public Outcome decide(Prepared prepared, float[] embedding, double encodeMillis) {
        long start = System.nanoTime();
        List<BankMatch> matches = prepared.pdq() == null ? List.of() : banks.match(prepared.pdq());
        ModerationResult result = result(prepared, policy.get(), embedding, matches, encodeMillis, start);
        EmbeddedPolicy candidate = shadow.get();
        if (candidate == null) {
            return new Outcome.Scored(result);
        }
        ModerationResult shadowResult = result(prepared, candidate, embedding, matches, encodeMillis, start);
        boolean differs = !shadowResult.getAction().equals(result.getAction())
                || !java.util.Objects.equals(shadowResult.getDecidingLabel(), result.getDecidingLabel());
        // the live result says what the shadow decided, so a reviewer of a flagged upload sees both
        result.setShadowDecision(new ShadowDecision(
                shadowResult.getPolicyId(),
                shadowResult.getPolicyVersion(),
                shadowResult.getAction(),
                shadowResult.getDecidingLabel()));
        return new Outcome.Scored(result, differs ? shadowResult : null);
    }

    private ModerationResult result(
            Prepared prepared,
            EmbeddedPolicy current,
            float[] embedding,
            List<BankMatch> matches,
            double encodeMillis,
            long start) {
        UploadedImage upload = prepared.upload();
        Decision decision = scorer.score(current, embedding, upload.getAttributes());
        ModerationResult.Builder result = ModerationResult.newBuilder()
                .setUploadId(upload.getUploadId())
                .setFlagged(decision.flagged())
                .setAction(decision.action().wireName())
                .setDecidingLabel(decision.deciding().map(label -> label.id()).orElse(null))
                .setReviewQueue(decision.reviewQueue().orElse(null))
                .setLabels(decision.scores().stream().map(Moderator::toAvro).toList())
                .setModelId(model.id())
                .setModelVersion(model.version())
                .setPolicyId(current.policy().id())
                .setPolicyVersion(current.policy().version())
                .setUploadedAt(upload.getUploadedAt())
                .setDecidedAt(clock.instant())
                .setTimings(new Timings(
                        prepared.decodeMillis(), prepared.preprocessMillis(), encodeMillis, millisSince(start)))
                .setAttributes(Map.copyOf(upload.getAttributes()))
                .setPdqHash(
                        prepared.pdq() == null ? null : prepared.pdq().hash().hex())
                .setPdqQuality(prepared.pdq() == null ? null : prepared.pdq().quality())
                .setSource(sourceOf(prepared.from()));
        KnownContentDecision.apply(result, matches);
        return result.build();
    }

    /** A dead-letter outcome stamped with this moderator's model and the current policy. */
    public Outcome failed(String uploadId, Reason reason, String message, SourceCoordinates from) {
        return new Outcome.Failed(ModerationError.newBuilder()
                .setUploadId(uploadId)
                .setReason(reason.name())
                .setMessage(message)
                .setSourceTopic(from.topic())
                .setSourcePartition(from.partition())
                .setSourceOffset(from.offset())
                .setFailedAt(clock.instant())
                .setModelId(model.id())
                .setPolicyVersion(policy.get().policy().version())
                .build());
    }

    private static UploadSource sourceOf(SourceCoordinates from) {
        return from == null ? null : new UploadSource(from.topic(), from.partition(), from.offset());
    }

    private static LabelScore toAvro(io.clipguard.score.LabelScore score) {
        return new LabelScore(
                score.label().id(),
                score.score(),
                score.threshold(),
                score.fired(),
                score.label().action().wireName());
    }

    private static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
