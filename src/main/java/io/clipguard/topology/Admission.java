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

    /** How often a waiting stream thread stops to run {@code whileWaiting}. */
    private static final long SLICE_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * Takes room for {@code chargeBytes}, waiting for it at most what is left of {@link #maxBlock}
     * since this thread last got back to its loop, and running {@code whileWaiting} every few
     * milliseconds meanwhile; past that the bytes are taken over the budget.
     *
     * @return true when the bytes fit the budget, false when they were let in over it
     */
    boolean admit(long chargeBytes, Runnable whileWaiting) {
        long[] waited = WAITED_NANOS.get();
        long start = System.nanoTime();
        long deadline = start + maxBlock.toNanos() - waited[0];
        try {
            for (long left = deadline - start; ; left = deadline - System.nanoTime()) {
                if (budget.tryAcquire(chargeBytes, Duration.ofNanos(Math.max(0, Math.min(SLICE_NANOS, left))))) {
                    return true;
                }
                if (left <= 0) {
                    break;
                }
                whileWaiting.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waited[0] += System.nanoTime() - start;
        }
        budget.acquireOver(chargeBytes);
        return false;
    }

    /** The stream thread is back in its loop: it punctuates, then commits when due. */
    void loopReached() {
        WAITED_NANOS.get()[0] = 0;
    }

    /**
     * What an upload holds on the heap while in flight, in copies of its event: the event itself, the
     * in-flight store's serialized entry, and the image bytes of the decoded event (measured: a burst
     * of photographs held about three to four times the budget when each counted once).
     */
    static final int HEAP_COPIES = 3;

    static long charge(int eventBytes) {
        return Math.max((long) HEAP_COPIES * eventBytes, MIN_CHARGE_BYTES);
    }
}
