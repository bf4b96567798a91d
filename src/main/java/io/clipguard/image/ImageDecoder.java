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
}
