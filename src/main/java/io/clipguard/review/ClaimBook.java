package io.clipguard.review;

import java.time.Duration;

/**
 * Hands out the items of review queues so that no two reviewers hold the same one, and takes their
 * decisions. All requests about a queue come to one book, one at a time, in the order of the requests
 * topic; the items live in an {@link ItemStore} that outlives the book. A claim is a lease: when it
 * runs out the item is claimable again, and a decision under a claim that someone else has since
 * taken over is refused, so an item is decided once.
 *
 * <p>Plain Java, not thread-safe: the claims processor calls it from its stream thread.
 */
public final class ClaimBook {

    private final ItemStore items;
    private final long leaseMs;
    private final long undoMs;

    /**
     * @param lease how long a claim holds an item
     * @param undo  how long after a decision its reviewer may withdraw it
     */
    public ClaimBook(ItemStore items, Duration lease, Duration undo) {
        this.items = items;
        this.leaseMs = lease.toMillis();
        this.undoMs = undo.toMillis();
    }

    /**
     * What a request did.
     *
     * @param reply     the answer for the console
     * @param decided   the decision to write, or null
     * @param withdrawn the upload whose decision to withdraw (a tombstone), or null
     * @param audit     the audit line, or null when nothing changed
     */
    public record Effect(ReviewReply reply, Decided decided, String withdrawn, AuditEntry audit) {}

    /** A decision made: the item as decided, the verdict and the time from claim to decision. */
    public record Decided(Item item, Verdict verdict, long timeSpentMs) {}

    /** Adds a newly flagged upload to its queue; false when the upload is known already (a replay). */
    public boolean flagged(Item item) {
        if (items.get(item.uploadId()) != null) {
            return false;
        }
        items.put(item);
        return true;
    }

    /** Handles one request at {@code nowMs}. */
    public Effect handle(ReviewRequest request, long nowMs) {
        return switch (request.kind()) {
            case CLAIM -> claim(request, nowMs);
            case DECIDE -> decide(request, nowMs);
            case UNDO -> undo(request, nowMs);
            case RELEASE -> release(request, nowMs);
        };
    }

    private Effect claim(ReviewRequest request, long nowMs) {
        String last = items.lastClaimOf(request.reviewer(), request.queue());
        Item held = last == null ? null : items.get(last);
        if (held != null
                && held.state() == Item.State.CLAIMED
                && held.claimId() != null
                && request.reviewer().equals(held.reviewer())
                && nowMs < held.leaseUntilMs()) {
            return new Effect(ReviewReply.done(request, "you hold this item already", held), null, null, null);
        }
        Item next = items.oldestClaimable(request.queue(), nowMs);
        if (next == null) {
            return new Effect(ReviewReply.refused(request, "queue " + request.queue() + " is empty"), null, null, null);
        }
        Item claimed = next.claimed(request.claimId(), request.reviewer(), nowMs, leaseMs);
        items.put(claimed);
        items.rememberClaim(request.reviewer(), request.queue(), claimed.uploadId());
        String detail = next.state() == Item.State.CLAIMED ? "lease of " + next.reviewer() + " had run out" : null;
        return new Effect(
                ReviewReply.done(request, "claimed", claimed),
                null,
                null,
                audit(nowMs, request, claimed.uploadId(), "claim", detail));
    }

    private Effect decide(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null) {
            return refusedNotYours(request);
        }
        if (item.state() == Item.State.DECIDED) {
            // the console asked again (a retry after a lost reply): the decision stands, written once
            return new Effect(ReviewReply.done(request, "decided already", item), null, null, null);
        }
        if (item.state() != Item.State.CLAIMED) {
            return refusedNotYours(request);
        }
        Verdict verdict = request.verdict();
        if (verdict == null
                || (verdict.violation()
                        && (verdict.label() == null || verdict.label().isBlank()))) {
            return new Effect(ReviewReply.refused(request, "a violation needs a label"), null, null, null);
        }
        Item decided = item.decided(nowMs);
        items.put(decided);
        items.rememberClaim(request.reviewer(), request.queue(), null);
        String detail = verdict.violation() ? "violation: " + verdict.label() : "no violation";
        return new Effect(
                ReviewReply.done(request, "decided", decided),
                new Decided(decided, verdict, Math.max(0, nowMs - item.claimedAtMs())),
                null,
                audit(nowMs, request, item.uploadId(), "decide", detail));
    }

    private Effect undo(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null || item.state() != Item.State.DECIDED) {
            return new Effect(ReviewReply.refused(request, "there is no decision of yours to undo"), null, null, null);
        }
        if (nowMs - item.decidedAtMs() > undoMs) {
            return new Effect(
                    ReviewReply.refused(
                            request, "too late to undo: decisions can be undone for " + undoMs / 1000 + " s"),
                    null,
                    null,
                    null);
        }
        Item undone = item.undone(nowMs, leaseMs);
        items.put(undone);
        items.rememberClaim(request.reviewer(), request.queue(), undone.uploadId());
        return new Effect(
                ReviewReply.done(request, "decision withdrawn", undone),
                null,
                undone.uploadId(),
                audit(nowMs, request, item.uploadId(), "undo", null));
    }

    private Effect release(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null || item.state() != Item.State.CLAIMED) {
            return refusedNotYours(request);
        }
        items.put(item.released());
        items.rememberClaim(request.reviewer(), request.queue(), null);
        return new Effect(
                ReviewReply.done(request, "returned to the queue", null),
                null,
                null,
                audit(nowMs, request, item.uploadId(), "release", null));
    }

    /** The item, when the request's claim is its current claim and the request's reviewer made it. */
    private Item ownItem(ReviewRequest request) {
        Item item = request.uploadId() == null ? null : items.get(request.uploadId());
        if (item == null
                || item.claimId() == null
                || !item.claimId().equals(request.claimId())
                || !item.reviewer().equals(request.reviewer())
                || !item.queue().equals(request.queue())) {
            return null;
        }
        return item;
    }

    private static Effect refusedNotYours(ReviewRequest request) {
        return new Effect(
                ReviewReply.refused(
                        request, "this item is no longer yours: its lease ran out and it went back to the queue"),
                null,
                null,
                null);
    }

    private static AuditEntry audit(long nowMs, ReviewRequest request, String uploadId, String action, String detail) {
        return new AuditEntry(nowMs, request.reviewer(), action, uploadId, request.queue(), detail);
    }

    /** The depth of every queue with undecided items. */
    public java.util.List<QueueDepth> depths(long nowMs) {
        return items.depths(nowMs);
    }
}
