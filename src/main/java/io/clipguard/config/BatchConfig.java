package io.clipguard.config;

import io.clipguard.encode.BatchingConfig;
import java.time.Duration;

/**
 * How uploads reach the encoder.
 *
 * @param perRecord         true for the naive mode: each stream thread moderates one upload at a
 *                          time (no batching, no pre-processing pool); false for dynamic batching
 * @param batching          batch size, delay and queue capacity of the shared batcher
 * @param preprocessThreads threads that decode and pre-process images
 * @param maxInFlightBytes  the instance's byte budget for uploads in flight (batched mode)
 * @param maxBlock          the longest a stream thread waits for room in that budget between two commits
 */
public record BatchConfig(
        boolean perRecord, BatchingConfig batching, int preprocessThreads, long maxInFlightBytes, Duration maxBlock) {

    /** 256 MiB of uploads in flight. */
    public static final long DEFAULT_MAX_IN_FLIGHT_BYTES = 256L * 1024 * 1024;
    /** A fifth of Kafka Streams' 10 s transaction timeout under exactly_once_v2. */
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(2);
}
