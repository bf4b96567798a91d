package io.clipguard.topology;

import io.clipguard.pipeline.ByteBudget;
import java.time.Duration;

/**
 * How the batched processor lets uploads in: the instance's byte budget for uploads at work, the
 * longest a stream thread may wait for room in it, the largest event accepted, and the count of
 * uploads parked for want of room (instance-wide).
 *
 * @param budget         bytes of uploads at work, shared by every task of the instance; an upload is
 *                       never let in over it
 * @param maxBlock       the longest a stream thread may wait for room between two visits to its loop
 *                       (where it commits); kept well inside the transaction timeout, past which the
 *                       producer would be fenced. Past it, uploads are parked
 * @param maxEventBytes  the largest event accepted; larger ones are dead letters
 * @param perUploadBytes what each upload at work holds besides copies of its event: the encoder's input
 *                       tensor, and a decoded image while it is pre-processed
 * @param parked         uploads parked for want of room, on every task of the instance, oldest first
 */
public record Admission(
        ByteBudget budget, Duration maxBlock, int maxEventBytes, long perUploadBytes, ParkedLine parked) {

    /** An admission whose uploads hold nothing besides their event (for tests of the flow alone). */
    public Admission(ByteBudget budget, Duration maxBlock, int maxEventBytes) {
        this(budget, maxBlock, maxEventBytes, 0);
    }

    public Admission(ByteBudget budget, Duration maxBlock, int maxEventBytes, long perUploadBytes) {
        this(budget, maxBlock, maxEventBytes, perUploadBytes, new ParkedLine());
    }

    /**
     * How long this stream thread has waited since it last got back to its loop (where it punctuates
     * and commits): the bound holds per transaction, not per upload, since a thread processes several
     * records of several tasks between commits.
     */
    private static final ThreadLocal<long[]> WAITED_NANOS = ThreadLocal.withInitial(() -> new long[1]);

    /** What one upload is charged at least: its job, outcome and store entry cost memory too. */
    static final int MIN_CHARGE_BYTES = 16 * 1024;
    /** The largest event accepted. */
    int largestEvent() {
        return maxEventBytes;
    }

    /** How often a waiting stream thread stops to run {@code whileWaiting}. */
    private static final long SLICE_NANOS = Duration.ofMillis(5).toNanos();

    /**
     * Takes room for {@code chargeBytes}, waiting for it at most what is left of {@link #maxBlock}
     * since this thread last got back to its loop, and running {@code whileWaiting} every few
     * milliseconds meanwhile.
     *
     * @return true when the room was taken, false when there was none in time, or parked uploads are
     *     waiting for it (nothing is taken)
     */
    boolean admit(long chargeBytes, Runnable whileWaiting) {
        if (!parked.isEmpty()) {
            return false; // never ahead of an upload already waiting (see ParkedLine)
        }
        long[] waited = WAITED_NANOS.get();
        long start = System.nanoTime();
        long deadline = start + maxBlock.toNanos() - waited[0];
        try {
            for (long left = deadline - start; ; left = deadline - System.nanoTime()) {
                if (budget.tryAcquire(chargeBytes, Duration.ofNanos(Math.max(0, Math.min(SLICE_NANOS, left))))) {
                    return true;
                }
                if (left <= 0) {
                    return false;
                }
                whileWaiting.run();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waited[0] += System.nanoTime() - start;
        }
    }

    /** Takes room for {@code chargeBytes} if there is some now. */
    boolean tryAdmitNow(long chargeBytes) {
        try {
            return budget.tryAcquire(chargeBytes, Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The stream thread is back in its loop: it punctuates, then commits when due. */
    void loopReached() {
        WAITED_NANOS.get()[0] = 0;
    }

    /**
     * What an upload at work holds on the heap, in copies of its event: the event itself (kept for a
     * retry), and the image bytes of the decoded event until the image is decoded.
     */
    static final int HEAP_COPIES = 2;

    /** What an upload with an event of {@code eventBytes} is charged while at work. */
    long charge(int eventBytes) {
        return Math.max((long) HEAP_COPIES * eventBytes + perUploadBytes, MIN_CHARGE_BYTES);
    }
}
