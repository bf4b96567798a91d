package io.clipguard.review;

/**
 * A review queue's depth, as the claims processor publishes it for the console's queue page.
 *
 * @param queue             the queue
 * @param waiting           undecided items nobody holds (including those whose lease ran out)
 * @param claimed           items a reviewer holds now
 * @param oldestFlaggedAtMs when the oldest undecided item was flagged; 0 when there is none
 */
public record QueueDepth(String queue, long waiting, long claimed, long oldestFlaggedAtMs) {

    /** Undecided items, held or not. */
    public long depth() {
        return waiting + claimed;
    }
}
