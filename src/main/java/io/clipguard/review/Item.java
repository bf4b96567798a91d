package io.clipguard.review;

/**
 * A flagged upload in a review queue and where its review stands. Immutable; times are epoch
 * milliseconds of the claims processor's clock.
 *
 * @param uploadId      the upload's id
 * @param queue         the review queue
 * @param flaggedAtMs   when the pipeline decided to flag it (the result's decided_at)
 * @param topic         the flagged topic ...
 * @param partition     ... the partition ...
 * @param offset        ... and the offset of its flagged result, which the console reads for the page
 * @param claimId       the current claim's id (random, unguessable), null while it waits
 * @param reviewer      who holds or decided it, null while it waits
 * @param claimedAtMs   when the current claim was made
 * @param leaseUntilMs  when the current claim's lease runs out and the item returns to its queue
 * @param decidedAtMs   when it was decided; 0 until then
 * @param decision      what was decided ({@code violation:LABEL} or {@code no violation}), null until then
 */
public record Item(
        String uploadId,
        String queue,
        long flaggedAtMs,
        String topic,
        int partition,
        long offset,
        State state,
        String claimId,
        String reviewer,
        long claimedAtMs,
        long leaseUntilMs,
        long decidedAtMs,
        String decision) {

    /** Where an item's review stands. */
    public enum State {
        WAITING,
        CLAIMED,
        DECIDED
    }

    /** A new item, waiting in its queue. */
    public static Item waiting(
            String uploadId, String queue, long flaggedAtMs, String topic, int partition, long offset) {
        return new Item(
                uploadId, queue, flaggedAtMs, topic, partition, offset, State.WAITING, null, null, 0, 0, 0, null);
    }

    /** True when a reviewer may claim it now: it waits, or its claim's lease has run out. */
    public boolean claimableAt(long nowMs) {
        return state == State.WAITING || (state == State.CLAIMED && nowMs >= leaseUntilMs);
    }

    /** True while {@code claim} is its current claim and that claim's lease runs. */
    public boolean heldUnder(String claim, long nowMs) {
        return state == State.CLAIMED && claim.equals(claimId) && nowMs < leaseUntilMs;
    }

    Item claimed(String claim, String by, long nowMs, long leaseMs) {
        return with(State.CLAIMED, claim, by, nowMs, Math.addExact(nowMs, leaseMs), 0, null);
    }

    Item decided(long nowMs, String what) {
        return with(State.DECIDED, claimId, reviewer, claimedAtMs, leaseUntilMs, nowMs, what);
    }

    /** Back to the reviewer who decided it, under the same claim, with a fresh lease. */
    Item undone(long nowMs, long leaseMs) {
        return with(State.CLAIMED, claimId, reviewer, claimedAtMs, Math.addExact(nowMs, leaseMs), 0, null);
    }

    Item released() {
        return waiting(uploadId, queue, flaggedAtMs, topic, partition, offset);
    }

    /** The same upload in its queue, with its review at another stage. */
    private Item with(
            State next, String claim, String by, long claimedAt, long leaseUntil, long decidedAt, String what) {
        return new Item(
                uploadId,
                queue,
                flaggedAtMs,
                topic,
                partition,
                offset,
                next,
                claim,
                by,
                claimedAt,
                leaseUntil,
                decidedAt,
                what);
    }
}
