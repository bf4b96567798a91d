package io.clipguard.pipeline;

/**
 * An upload could not be moderated now, and not through its own fault (memory taken by other
 * uploads, the encoder failing for everyone, the pipeline closing): try it again, never
 * dead-letter it for this.
 */
public final class RetryLaterException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Reason lastResort;

    /**
     * @param lastResort the dead-letter reason to give after repeated failures, when failing again and
     *                   again does point at the upload (an image that cannot be decoded in the memory
     *                   this instance has); null to retry without end
     */
    public RetryLaterException(String message, Throwable cause, Reason lastResort) {
        super(message, cause);
        this.lastResort = lastResort;
    }

    /** The reason to dead-letter with after repeated failures, or null to keep retrying. */
    public Reason lastResort() {
        return lastResort;
    }
}
