package io.clipguard.encode;

/**
 * An image could not be encoded. {@link #imageAtFault()} tells the two cases apart: the image failed
 * on its own while other images of its batch encoded (the image's fault: dead-letter it), or the
 * encoder failed for everyone or was closed (not the image's fault: try it again).
 */
public final class EncodeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean imageAtFault;
    private final boolean suspect;

    EncodeFailedException(String message, Throwable cause, boolean imageAtFault, boolean suspect) {
        super(message, cause);
        this.imageAtFault = imageAtFault;
        this.suspect = suspect;
    }

    /**
     * True when the image may be at fault: the encoder worked on the batch before, and this image
     * failed alone. Such an image is tried again, and blamed if it keeps failing.
     */
    public boolean suspect() {
        return suspect;
    }

    /** True when the encoder worked for other images and failed for this one alone. */
    public boolean imageAtFault() {
        return imageAtFault;
    }
}
