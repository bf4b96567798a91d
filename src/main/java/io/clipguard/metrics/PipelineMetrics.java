package io.clipguard.metrics;

/**
 * What the moderation pipeline measures. Implementations must be thread-safe and must never throw
 * into processing. Every method does nothing by default.
 */
public interface PipelineMetrics {

    /** Measures nothing. */
    PipelineMetrics NONE = new PipelineMetrics() {};

    /** A batch of {@code batchSize} images went through the encoder in {@code encodeMillis}. */
    default void batchEncoded(int batchSize, double encodeMillis) {}

    /** The encoder threw on a batch of {@code size} images. */
    default void batchFailed(int size) {}

    /** An image waited {@code queueMillis} in the batcher's queue. */
    default void queueWaited(double queueMillis) {}

    /** An upload was decided {@code endToEndMillis} after it was uploaded. */
    default void decided(double endToEndMillis) {}

    /**
     * An upload was decided, but its upload time is implausible (over a minute in the future, or more
     * than 30 days ago: a producer writing microseconds, say), so its latency is not recorded.
     */
    default void implausibleUploadTime() {}

    /** A result was written: the policy that decided, its deciding label (or "none") and the action. */
    default void scored(String policyId, String decidingLabel, String action) {}

    /** A dead letter was written, with its reason code. */
    default void deadLettered(String reason) {}

    /** A result matched an entry of this bank (at this version). */
    default void bankMatched(String bank, String action, String version) {}
}
