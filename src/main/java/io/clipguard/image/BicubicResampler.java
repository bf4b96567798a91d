package io.clipguard.image;

/**
 * Pillow's {@code Image.resize(size, BICUBIC)} for 8-bit RGB, bit for bit: a horizontal pass over
 * only the rows the vertical pass needs, rounded to 8 bits, then a vertical pass; an axis whose
 * size does not change is not resampled. Stateless and thread-safe.
 */
final class BicubicResampler {

    private static final int HALF = 1 << (BicubicKernel.PRECISION_BITS - 1);

    private BicubicResampler() {}

    static RgbImage resize(RgbImage in, int outWidthPx, int outHeightPx) {
        if (outWidthPx == in.widthPx() && outHeightPx == in.heightPx()) {
            return in;
        }
        BicubicKernel vertical = BicubicKernel.of(in.heightPx(), outHeightPx);
        int firstRow = vertical.bounds[0];
        int lastRow = vertical.bounds[2 * outHeightPx - 2] + vertical.bounds[2 * outHeightPx - 1];
        RgbImage temp = in;
        if (outWidthPx != in.widthPx()) {
            temp = horizontal(in, BicubicKernel.of(in.widthPx(), outWidthPx), firstRow, lastRow);
        } else {
            firstRow = 0;
        }
        return outHeightPx == in.heightPx() ? temp : vertical(temp, vertical, firstRow, outHeightPx);
    }

    private static RgbImage horizontal(RgbImage in, BicubicKernel k, int firstRow, int lastRow) {
        int outWidth = k.bounds.length / 2;
        RgbImage out = RgbImage.blank(outWidth, lastRow - firstRow);
        byte[] src = in.rgb();
        byte[] dst = out.rgb();
        for (int y = 0; y < out.heightPx(); y++) {
            int rowStart = 3 * (y + firstRow) * in.widthPx();
            for (int x = 0; x < outWidth; x++) {
                int start = rowStart + 3 * k.bounds[2 * x];
                int weights = x * k.taps;
                convolve(src, start, 3, k.weights, weights, k.bounds[2 * x + 1], dst, 3 * (y * outWidth + x));
            }
        }
        return out;
    }

    private static RgbImage vertical(RgbImage in, BicubicKernel k, int rowShift, int outHeight) {
        RgbImage out = RgbImage.blank(in.widthPx(), outHeight);
        byte[] src = in.rgb();
        byte[] dst = out.rgb();
        int stride = 3 * in.widthPx();
        for (int y = 0; y < outHeight; y++) {
            int start = (k.bounds[2 * y] - rowShift) * stride;
            int weights = y * k.taps;
            for (int x = 0; x < in.widthPx(); x++) {
                convolve(
                        src,
                        start + 3 * x,
                        stride,
                        k.weights,
                        weights,
                        k.bounds[2 * y + 1],
                        dst,
                        3 * (y * in.widthPx() + x));
            }
        }
        return out;
    }

    /** One output pixel: three fixed-point dot products of {@code taps} samples {@code step} apart. */
    private static void convolve(
            byte[] src, int start, int step, int[] weights, int firstWeight, int taps, byte[] dst, int at) {
        int r = HALF;
        int g = HALF;
        int b = HALF;
        for (int t = 0, i = start; t < taps; t++, i += step) {
            int w = weights[firstWeight + t];
            r += (src[i] & 0xFF) * w;
            g += (src[i + 1] & 0xFF) * w;
            b += (src[i + 2] & 0xFF) * w;
        }
        dst[at] = clip8(r);
        dst[at + 1] = clip8(g);
        dst[at + 2] = clip8(b);
    }

    private static byte clip8(int fixedPoint) {
        return (byte) Math.min(Math.max(fixedPoint >> BicubicKernel.PRECISION_BITS, 0), 255);
    }
}
