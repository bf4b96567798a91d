package io.clipguard.config;

import io.clipguard.encode.BatchingConfig;

/**
 * How uploads reach the encoder.
 *
 * @param perRecord         true for the naive mode: each stream thread moderates one upload at a
 *                          time (no batching, no pre-processing pool); false for dynamic batching
 * @param batching          batch size, delay and queue capacity of the shared batcher
 * @param preprocessThreads threads that fetch, decode and pre-process images
 */
public record BatchConfig(boolean perRecord, BatchingConfig batching, int preprocessThreads) {

    /** The most uploads in progress at once: queued, in a batch, or being pre-processed. */
    public int maxInFlight(int encoderInstances) {
        return batching.queueCapacity() + batching.maxBatchSize() * encoderInstances + preprocessThreads;
    }
}
