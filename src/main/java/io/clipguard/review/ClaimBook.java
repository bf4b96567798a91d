package io.clipguard.review;

import java.time.Duration;
import java.util.List;

/**
 * Hands out the items of review queues so that no two reviewers hold the same one, and takes their
 * decisions. All requests about a queue come to one book, one at a time, in the order of the requests
 * topic; the items live in an {@link ItemStore} that outlives the book. A claim is a lease: when it
 * runs out the item is claimable again, and a decision under a claim that someone else has since
 * taken over is refused, so an item is decided once. A reviewer holds one item per queue at a time.
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
    public record Effect(ReviewReply reply, Decided decided, String withdrawn, AuditEntry audit) {

        static Effect answer(ReviewReply reply) {
            return new Effect(reply, null, null, null);
        }
    }

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
        if (request.expiresAtMs() > 0 && nowMs > request.expiresAtMs()) {
            // the console stopped waiting and told the reviewer nothing happened: so nothing may happen
            return Effect.answer(ReviewReply.refused(request, "the request came too late and was not carried out"));
        }
        return switch (request.kind()) {
            case CLAIM -> claim(request, nowMs);
            case LOOKUP -> lookup(request);
            case DECIDE -> decide(request, nowMs);
            case UNDO -> undo(request, nowMs);
            case RELEASE -> release(request, nowMs);
        };
    }

    private Effect claim(ReviewRequest request, long nowMs) {
        Item held = lastClaimed(request);
        if (held != null && held.state() == Item.State.CLAIMED && nowMs < held.leaseUntilMs()) {
            return Effect.answer(ReviewReply.done(request, "you hold this item already", held));
        }
        Item next = items.oldestClaimable(request.queue(), nowMs);
        if (next == null) {
            return Effect.answer(ReviewReply.refused(request, "queue " + request.queue() + " is empty"));
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

    /** The item held under the request's claim, lease running or not, as long as nobody took it over. */
    private Effect lookup(ReviewRequest request) {
        Item item = lastClaimed(request);
        if (item == null
                || item.state() != Item.State.CLAIMED
                || !request.claimId().equals(item.claimId())) {
            return refusedNotYours(request);
        }
        return Effect.answer(ReviewReply.done(request, "held", item));
    }

    private Effect decide(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null) {
            return refusedNotYours(request);
        }
        Verdict verdict = request.verdict();
        if (verdict == null
                || verdict.violation()
                        && (verdict.label() == null || verdict.label().isBlank())) {
            return Effect.answer(ReviewReply.refused(request, "a violation needs a label"));
        }
        String decision = verdict.violation() ? "violation: " + verdict.label() : "no violation";
        if (item.state() == Item.State.DECIDED) {
            // the same decision again is a retry after a lost reply: it stands, written once
            return Effect.answer(
                    decision.equals(item.decision())
                            ? ReviewReply.done(request, "decided already", item)
                            : ReviewReply.refused(request, "decided already (" + item.decision() + "); undo it first"));
        }
        if (item.state() != Item.State.CLAIMED) {
            return refusedNotYours(request);
        }
        Item decided = item.decided(nowMs, decision);
        items.put(decided);
        forgetClaim(request, item.uploadId());
        return new Effect(
                ReviewReply.done(request, "decided", decided),
                new Decided(decided, verdict, Math.max(0, nowMs - item.claimedAtMs())),
                null,
                audit(nowMs, request, item.uploadId(), "decide", decision));
    }

    private Effect undo(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null || item.state() != Item.State.DECIDED) {
            return Effect.answer(ReviewReply.refused(request, "there is no decision of yours to undo"));
        }
        if (nowMs - item.decidedAtMs() > undoMs) {
            return Effect.answer(ReviewReply.refused(
                    request, "too late to undo: decisions can be undone for " + undoMs / 1000 + " s"));
        }
        Item movedOn = lastClaimed(request);
        if (movedOn != null && movedOn.state() == Item.State.CLAIMED) {
            items.put(movedOn.released()); // the item taken after this decision: one item at a time
        }
        Item undone = item.undone(nowMs, leaseMs);
        items.put(undone);
        items.rememberClaim(request.reviewer(), request.queue(), undone.uploadId());
        return new Effect(
                ReviewReply.done(request, "decision withdrawn", undone),
                null,
                undone.uploadId(),
                audit(nowMs, request, item.uploadId(), "undo", item.decision()));
    }

    private Effect release(ReviewRequest request, long nowMs) {
        Item item = ownItem(request);
        if (item == null || item.state() != Item.State.CLAIMED) {
            return refusedNotYours(request);
        }
        items.put(item.released());
        forgetClaim(request, item.uploadId());
        return new Effect(
                ReviewReply.done(request, "returned to the queue", null),
                null,
                null,
                audit(nowMs, request, item.uploadId(), "release", null));
    }

    /** Forgets items decided before {@code cutoffMs}; see {@link ItemStore#forgetDecidedBefore}. */
    public int forgetDecidedBefore(long cutoffMs) {
        return items.forgetDecidedBefore(cutoffMs);
    }

    /** The depth of every queue with undecided items. */
    public List<QueueDepth> depths(long nowMs) {
        return items.depths(nowMs);
    }

    /** The item the request's reviewer last claimed in its queue, if they are still its reviewer. */
    private Item lastClaimed(ReviewRequest request) {
        String last = items.lastClaimOf(request.reviewer(), request.queue());
        Item item = last == null ? null : items.get(last);
        return item != null && request.reviewer().equals(item.reviewer()) ? item : null;
    }

    private void forgetClaim(ReviewRequest request, String uploadId) {
        if (uploadId.equals(items.lastClaimOf(request.reviewer(), request.queue()))) {
            items.rememberClaim(request.reviewer(), request.queue(), null);
        }
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
        return Effect.answer(ReviewReply.refused(
                request, "this item is no longer yours: its lease ran out and it went back to the queue"));
    }

    private static AuditEntry audit(long nowMs, ReviewRequest request, String uploadId, String action, String detail) {
        return new AuditEntry(nowMs, request.reviewer(), action, uploadId, request.queue(), detail);
    }
}
