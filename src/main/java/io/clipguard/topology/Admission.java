package io.clipguard.topology;

import io.clipguard.pipeline.ByteBudget;
import java.time.Duration;

/**
 * How the batched processor lets uploads in: the instance's byte budget for uploads in flight, the
 * longest a stream thread may wait for room in it, and the largest event the in-flight store's
 * changelog can take.
 *
 * @param budget        bytes of uploads in flight, shared by every task of the instance
 * @param maxBlock      the longest a stream thread may wait for room between two visits to its loop
 *                      (where it commits); kept well inside the transaction timeout, past which the
 *                      producer would be fenced
 * @param maxEventBytes the largest event kept in the in-flight store; larger ones are dead letters
 */
public record Admission(ByteBudget budget, Duration maxBlock, int maxEventBytes) {

    /**
     * How long this stream thread has waited since it last got back to its loop (where it punctuates
     * and commits): the bound holds per transaction, not per upload, since a thread processes several
     * records of several tasks between commits.
     */
    private static final ThreadLocal<long[]> WAITED_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    /** What one upload is charged at least: its job, outcome and store entry cost memory too. */
    static final int MIN_CHARGE_BYTES = 16 * 1024;
    /** Room in the changelog record for the store entry's own fields and the record's framing. */
    static final int STORE_OVERHEAD_BYTES = 4 * 1024;

    /** The largest event value that can be kept in the in-flight store. */
    int largestStorableEvent() {
        return maxEventBytes - STORE_OVERHEAD_BYTES;
    }

    /** What this thread may still wait before it next gets back to its loop. */
    long waitLeftNanos() {
        return maxBlock.toNanos() - WAITED_NANOS.get()[0];
    }

    void waited(long nanos) {
        WAITED_NANOS.get()[0] += nanos;
    }

    /** The stream thread is back in its loop: it punctuates, then commits when due. */
    void loopReached() {
        WAITED_NANOS.get()[0] = 0;
    }

    static long charge(int eventBytes) {
        return Math.max(eventBytes, MIN_CHARGE_BYTES);
    }
}
