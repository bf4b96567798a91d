package io.clipguard.topology;

/**
 * The topics of the review console.
 *
 * @param flagged  flagged results, keyed by review queue (the pipeline's output)
 * @param requests consoles' requests, keyed by queue; as many partitions as {@code flagged}, so a queue's
 *                 requests meet its items
 * @param replies  answers, keyed by console instance
 * @param reviews  review decisions, keyed by upload id (what {@code clipguard tune} reads)
 * @param queues   each queue's depth, keyed by queue (compacted)
 * @param audit    who did what
 */
public record ReviewTopics(
        String flagged, String requests, String replies, String reviews, String queues, String audit) {}
