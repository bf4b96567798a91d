package io.clipguard.review;

/**
 * What a console asks of the claims processor, on the requests topic keyed by queue so that every
 * request about a queue is handled in order, by one processor.
 *
 * @param kind      what is asked
 * @param requestId the console's id for the reply
 * @param console   the asking console instance; its replies are keyed by it
 * @param reviewer  the signed-in reviewer
 * @param queue     the review queue
 * @param uploadId  the upload (all kinds but {@link Kind#CLAIM})
 * @param claimId   for a claim, the id the new claim gets; else the claim the reviewer holds
 * @param verdict   the decision ({@link Kind#DECIDE} only)
 * @param expiresAtMs when the console stops waiting for the answer (epoch ms; 0: never): a request
 *                  handled later is refused and changes nothing, so a reviewer told it failed is right
 */
public record ReviewRequest(
        Kind kind,
        String requestId,
        String console,
        String reviewer,
        String queue,
        String uploadId,
        String claimId,
        Verdict verdict,
        long expiresAtMs) {

    /** What a request asks. */
    public enum Kind {
        /** The reviewer's current item in the queue, or the oldest claimable one. */
        CLAIM,
        /** Decide the item held under the claim. */
        DECIDE,
        /** Withdraw the reviewer's decision, within the undo window; the item is theirs again. */
        UNDO,
        /** Give the item back to its queue undecided. */
        RELEASE,
        /** The item the reviewer holds under the claim, if they still do; changes nothing. */
        LOOKUP
    }
}
