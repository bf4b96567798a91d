package io.clipguard.encode;

/**
 * An image could not be encoded. {@link #suspect()} tells the two cases apart: the image failed on its
 * own while the encoder worked for others (it may be the image's fault: try it again, and blame it if
 * it keeps failing alone), or the encoder failed for everyone or was closed (not the image's fault:
 * try it again, never blame it). One failure never proves an image guilty: an engine that fails now
 * and then would fail innocent images alone too.
 */
public final class EncodeFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean suspect;

    EncodeFailedException(String message, Throwable cause, boolean suspect) {
        super(message, cause);
        this.suspect = suspect;
    }

    /**
     * True when the image may be at fault: it failed alone while other images of its batch encoded, or
     * alone in a batch of one right after the encoder worked. Such an image is tried again, and blamed
     * if it keeps failing.
     */
    public boolean suspect() {
        return suspect;
    }
}
