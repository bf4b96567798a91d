package io.clipguard.topology;

import io.clipguard.pipeline.ByteBudget;
import java.time.Duration;

/**
 * How the batched processor lets uploads in: the instance's byte budget for uploads in flight, the
 * longest a stream thread may wait for room in it, and the largest event the in-flight store's
 * changelog can take.
 *
 * @param budget        bytes of uploads in flight, shared by every task of the instance
 * @param maxBlock      the longest one upload may hold its stream thread waiting for room; kept well
 *                      inside the transaction timeout, past which the producer would be fenced
 * @param maxEventBytes the largest event kept in the in-flight store; larger ones are dead letters
 */
public record Admission(ByteBudget budget, Duration maxBlock, int maxEventBytes) {

    /** What one upload is charged at least: its job, outcome and store entry cost memory too. */
    static final int MIN_CHARGE_BYTES = 16 * 1024;
    /** Room in the changelog record for the store entry's own fields and the record's framing. */
    static final int STORE_OVERHEAD_BYTES = 4 * 1024;

    /** The largest event value that can be kept in the in-flight store. */
    int largestStorableEvent() {
        return maxEventBytes - STORE_OVERHEAD_BYTES;
    }

    static long charge(int eventBytes) {
        return Math.max(eventBytes, MIN_CHARGE_BYTES);
    }
}
