package io.clipguard.encode;

import java.time.Duration;

/**
 * How the {@link DynamicBatcher} forms batches.
 *
 * @param maxBatchSize  the most images encoded at once
 * @param maxDelay      how long the oldest waiting image may wait for a batch to fill
 * @param queueCapacity the most images waiting; submitters block beyond it (backpressure)
 */
public record BatchingConfig(int maxBatchSize, Duration maxDelay, int queueCapacity) {

    /** One image at a time, no waiting: the naive per-record peer. */
    public static final BatchingConfig PER_RECORD = new BatchingConfig(1, Duration.ZERO, 1);

    public BatchingConfig {
        if (maxBatchSize < 1 || queueCapacity < 1 || maxDelay.isNegative()) {
            throw new IllegalArgumentException("batching needs maxBatchSize >= 1, queueCapacity >= 1 and a"
                    + " non-negative maxDelay, got " + maxBatchSize + ", " + queueCapacity + ", " + maxDelay);
        }
    }
}
