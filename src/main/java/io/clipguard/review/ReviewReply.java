package io.clipguard.review;

/**
 * The claims processor's answer to a {@link ReviewRequest}, on the replies topic keyed by console.
 *
 * @param requestId the request's id
 * @param ok        whether it was done
 * @param message   why not, for the reviewer; or what was done
 * @param item      the item as it stands after the request, or null
 */
public record ReviewReply(String requestId, boolean ok, String message, Item item) {

    static ReviewReply done(ReviewRequest request, String message, Item item) {
        return new ReviewReply(request.requestId(), true, message, item);
    }

    static ReviewReply refused(ReviewRequest request, String message) {
        return new ReviewReply(request.requestId(), false, message, null);
    }
}
