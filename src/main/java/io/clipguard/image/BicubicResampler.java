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

    /**
     * The {@code cropWidthPx x cropHeightPx} region at {@code (left, top)} of what {@link #resize}
     * would return, bit for bit, computing only that region: every output pixel depends on its own
     * coordinates alone, so the pixels a centre crop throws away need not be computed at all.
     */
    static RgbImage resizeRegion(
            RgbImage in, int outWidthPx, int outHeightPx, int left, int top, int cropWidthPx, int cropHeightPx) {
        boolean resizeX = outWidthPx != in.widthPx();
        boolean resizeY = outHeightPx != in.heightPx();
        BicubicKernel vertical = resizeY ? BicubicKernel.of(in.heightPx(), outHeightPx) : null;
        int firstRow = resizeY ? vertical.bounds[2 * top] : top;
        int last = top + cropHeightPx - 1;
        int lastRow = resizeY ? vertical.bounds[2 * last] + vertical.bounds[2 * last + 1] : top + cropHeightPx;
        RgbImage temp = resizeX
                ? horizontal(in, BicubicKernel.of(in.widthPx(), outWidthPx), firstRow, lastRow, left, cropWidthPx)
                : columns(in, firstRow, lastRow, left, cropWidthPx);
        return resizeY ? vertical(temp, vertical, firstRow, top, cropHeightPx) : temp;
    }

    /** Rows {@code [firstRow, lastRow)}, columns {@code [left, left + width)}, copied as they are. */
    private static RgbImage columns(RgbImage in, int firstRow, int lastRow, int left, int width) {
        RgbImage out = RgbImage.blank(width, lastRow - firstRow);
        for (int y = firstRow; y < lastRow; y++) {
            System.arraycopy(in.rgb(), 3 * (y * in.widthPx() + left), out.rgb(), 3 * (y - firstRow) * width, 3 * width);
        }
        return out;
    }

    private static RgbImage horizontal(RgbImage in, BicubicKernel k, int firstRow, int lastRow) {
        return horizontal(in, k, firstRow, lastRow, 0, k.bounds.length / 2);
    }

    private static RgbImage horizontal(
            RgbImage in, BicubicKernel k, int firstRow, int lastRow, int firstColumn, int outWidth) {
        RgbImage out = RgbImage.blank(outWidth, lastRow - firstRow);
        byte[] src = in.rgb();
        byte[] dst = out.rgb();
        for (int y = 0; y < out.heightPx(); y++) {
            int rowStart = 3 * (y + firstRow) * in.widthPx();
            for (int x = 0; x < outWidth; x++) {
                int column = x + firstColumn;
                int start = rowStart + 3 * k.bounds[2 * column];
                int weights = column * k.taps;
                convolve(src, start, 3, k.weights, weights, k.bounds[2 * column + 1], dst, 3 * (y * outWidth + x));
            }
        }
        return out;
    }

    private static RgbImage vertical(RgbImage in, BicubicKernel k, int rowShift, int outHeight) {
        return vertical(in, k, rowShift, 0, outHeight);
    }

    private static RgbImage vertical(RgbImage in, BicubicKernel k, int rowShift, int firstOutRow, int outHeight) {
        RgbImage out = RgbImage.blank(in.widthPx(), outHeight);
        byte[] src = in.rgb();
        byte[] dst = out.rgb();
        int stride = 3 * in.widthPx();
        for (int y = 0; y < outHeight; y++) {
            int row = y + firstOutRow;
            int start = (k.bounds[2 * row] - rowShift) * stride;
            int weights = row * k.taps;
            for (int x = 0; x < in.widthPx(); x++) {
                convolve(
                        src,
                        start + 3 * x,
                        stride,
                        k.weights,
                        weights,
                        k.bounds[2 * row + 1],
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
