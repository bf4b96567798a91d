package io.clipguard.image;

/**
 * How much an untrusted image may cost before any of it is decoded.
 *
 * @param maxImageBytes largest encoded image accepted, in bytes
 * @param maxPixels     largest width x height a header may declare; decoding needs about 4 to 8 bytes
 *                      of heap per pixel for formats that cannot be decoded at reduced size (all but
 *                      JPEG), per decoding thread
 */
public record DecodeLimits(long maxImageBytes, long maxPixels) {

    /** 20 MiB and 50 megapixels: a 48 MP phone photo fits, a decompression bomb does not. */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(20L * 1024 * 1024, 50_000_000L);

    public DecodeLimits {
        if (maxImageBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException(
                    "limits must be positive, got maxImageBytes=" + maxImageBytes + ", maxPixels=" + maxPixels);
        }
    }

    void checkBytes(byte[] imageBytes) {
        if (imageBytes == null || imageBytes.length == 0) {
            throw new ImageRejectedException(RejectReason.IMAGE_EMPTY, "no image bytes");
        }
        if (imageBytes.length > maxImageBytes) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE,
                    "image has " + imageBytes.length + " bytes, over the limit of " + maxImageBytes + " bytes");
        }
    }

    /** Refuses a header's dimensions: not positive, or over {@link #maxPixels}. */
    void checkDimensions(long widthPx, long heightPx) {
        if (widthPx <= 0 || heightPx <= 0) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_UNDECODABLE, "header declares " + widthPx + "x" + heightPx + " px");
        }
        if (widthPx * heightPx > maxPixels) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_TOO_LARGE,
                    "image is " + widthPx + "x" + heightPx + " px, over the limit of " + maxPixels + " px");
        }
    }
}
