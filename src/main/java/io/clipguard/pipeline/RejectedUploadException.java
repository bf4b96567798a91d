package io.clipguard.pipeline;

/** An upload that cannot be scored, with the reason code its dead-letter record will carry. */
public final class RejectedUploadException extends Exception {

    private final Reason reason;

    public RejectedUploadException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectedUploadException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
