package io.clipguard.ingest;

/** A fetch that did not yield the image; {@link #failure()} says whether trying again can help. */
public final class FetchException extends Exception {

    private static final long serialVersionUID = 1L;

    /** What kind of failure, which decides retries and the dead-letter reason. */
    public enum Failure {
        /** The URI, its scheme, host, port, path or resolved address is not allowed. Never retried. */
        REFUSED,
        /** The image is larger than the byte limit. Never retried. */
        TOO_LARGE,
        /** The image is not there and will not be (404, bad certificate, malformed response). */
        PERMANENT,
        /** The store may answer later (timeout, connection refused, 5xx, 429): retried with backoff. */
        TRANSIENT
    }

    private final Failure failure;

    public FetchException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public FetchException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }
}
