package io.clipguard.image;

/**
 * The canvas size of a WebP file, from its first chunk: {@code VP8X} (extended: 24-bit sizes,
 * and whether it is animated), {@code VP8 } (lossy key frame) or {@code VP8L} (lossless). Reads a
 * few dozen bytes; never decodes pixels.
 *
 * @param widthPx  canvas width
 * @param heightPx canvas height
 * @param animated the extended header's animation flag
 */
record WebpHeader(int widthPx, int heightPx, boolean animated) {

    /** Parses the header; throws {@link ImageRejectedException} when it is malformed. */
    static WebpHeader parse(byte[] webp) {
        if (webp.length < 30) {
            throw malformed("file too short");
        }
        int data = 20;
        if (ImageFormat.ascii(webp, 12, "VP8X")) {
            boolean animated = (webp[data] & 0x02) != 0;
            return new WebpHeader(u24(webp, data + 4) + 1, u24(webp, data + 7) + 1, animated);
        }
        if (ImageFormat.ascii(webp, 12, "VP8L")) {
            if ((webp[data] & 0xFF) != 0x2F) {
                throw malformed("bad lossless signature");
            }
            int bits = u24(webp, data + 1) | (webp[data + 4] & 0xFF) << 24;
            return new WebpHeader((bits & 0x3FFF) + 1, (bits >>> 14 & 0x3FFF) + 1, false);
        }
        if (ImageFormat.ascii(webp, 12, "VP8 ")) {
            if ((webp[data + 3] & 0xFF) != 0x9D || (webp[data + 4] & 0xFF) != 0x01 || (webp[data + 5] & 0xFF) != 0x2A) {
                throw malformed("bad lossy frame start code");
            }
            return new WebpHeader(u16(webp, data + 6) & 0x3FFF, u16(webp, data + 8) & 0x3FFF, false);
        }
        throw malformed("unknown first chunk");
    }

    private static int u16(byte[] bytes, int at) {
        return bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8;
    }

    private static int u24(byte[] bytes, int at) {
        return u16(bytes, at) | (bytes[at + 2] & 0xFF) << 16;
    }

    private static ImageRejectedException malformed(String detail) {
        return new ImageRejectedException(RejectReason.IMAGE_UNDECODABLE, "malformed WebP: " + detail);
    }
}
