package io.clipguard.review;

import java.util.List;

/**
 * Where a {@link ClaimBook} keeps its items: in Kafka Streams state stores in the console (changelogged,
 * so claims outlive a console), in a map in tests. Items of one queue are all in one store.
 */
public interface ItemStore {

    /** The item of that upload, or null. */
    Item get(String uploadId);

    /** Stores the item; an undecided one is listed in its queue, oldest first, a decided one no longer. */
    void put(Item item);

    /** The oldest undecided item of the queue that {@link Item#claimableAt} now, or null. */
    Item oldestClaimable(String queue, long nowMs);

    /** The upload a reviewer last claimed in a queue, or null. */
    String lastClaimOf(String reviewer, String queue);

    /** Remembers the upload a reviewer claimed in a queue; null forgets it. */
    void rememberClaim(String reviewer, String queue, String uploadId);

    /** Every queue with undecided items, with its depth. */
    List<QueueDepth> depths(long nowMs);

    /**
     * Forgets items decided before {@code cutoffMs}: by then their flagged results are gone from the
     * flagged topic, so no replay can queue them again. Returns how many were forgotten.
     */
    int forgetDecidedBefore(long cutoffMs);
}
