package io.clipguard.metrics;

/**
 * What the moderation pipeline measures. Implementations must be thread-safe and must never throw
 * into processing.
 */
public interface PipelineMetrics {

    /** Measures nothing. */
    PipelineMetrics NONE = new PipelineMetrics() {
        @Override
        public void batchEncoded(int batchSize, double encodeMillis) {
        }

        @Override
        public void queueWaited(double queueMillis) {
        }

        @Override
        public void decided(double endToEndMillis) {
        }
    };

    /** A batch of {@code batchSize} images went through the encoder in {@code encodeMillis}. */
    void batchEncoded(int batchSize, double encodeMillis);

    /** An image waited {@code queueMillis} in the batcher's queue. */
    void queueWaited(double queueMillis);

    /** An upload was decided {@code endToEndMillis} after it was uploaded. */
    void decided(double endToEndMillis);
}
