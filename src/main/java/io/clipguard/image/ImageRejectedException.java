package io.clipguard.image;

/**
 * An image that cannot be processed: bad data, not a bug. Carries a stable {@link RejectReason}
 * for the dead-letter record; the message is one line for humans.
 */
public final class ImageRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final RejectReason reason;

    public ImageRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ImageRejectedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
