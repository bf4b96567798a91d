package io.clipguard.image;

/**
 * An 8-bit RGB raster, row-major, channels interleaved; what the transforms pass along. The pixels
 * are the first {@code 3 * width * height} bytes of the array, which may be longer (a decoder's
 * buffer kept for reuse).
 */
final class RgbImage {

    private final int widthPx;
    private final int heightPx;
    private final byte[] rgb;

    RgbImage(int widthPx, int heightPx, byte[] rgb) {
        if (rgb.length < 3 * widthPx * heightPx) {
            throw new IllegalArgumentException("expected at least " + 3 * widthPx * heightPx + " bytes for " + widthPx
                    + "x" + heightPx + ", got " + rgb.length);
        }
        this.widthPx = widthPx;
        this.heightPx = heightPx;
        this.rgb = rgb;
    }

    static RgbImage blank(int widthPx, int heightPx) {
        return new RgbImage(widthPx, heightPx, new byte[3 * widthPx * heightPx]);
    }

    int widthPx() {
        return widthPx;
    }

    int heightPx() {
        return heightPx;
    }

    /** The backing bytes, R, G, B per pixel; shared, not copied. */
    byte[] rgb() {
        return rgb;
    }

    /** Channel {@code c} (0 = R) of pixel (x, y), 0-255. */
    int sample(int x, int y, int c) {
        return rgb[3 * (y * widthPx + x) + c] & 0xFF;
    }
}
