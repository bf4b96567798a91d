package io.clipguard.image;

import java.awt.image.BufferedImage;

/**
 * Turns an uploaded file's bytes into pixels. Implementations must be thread-safe, must check the
 * declared dimensions before decoding any pixel data, and must never let a malformed input escape
 * as anything but an {@link ImageRejectedException}.
 */
public interface ImageDecoder {

    /**
     * Decodes the first image in {@code imageBytes}.
     *
     * @throws ImageRejectedException with the reason when the bytes are empty, of an unsupported
     *     format, declare too many pixels, or cannot be decoded
     */
    BufferedImage decode(byte[] imageBytes);

    /**
     * As {@link #decode}, but the image may be backed by a buffer this thread reuses: it is valid only
     * until this thread's next call of this method. For a caller that pre-processes the image at once
     * and drops it (the pipeline): a photograph's pixels then cost no new array.
     */
    default BufferedImage decodeReusing(byte[] imageBytes) {
        return decode(imageBytes);
    }
}
