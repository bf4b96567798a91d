package io.clipguard.image;

/**
 * Per-output-pixel weights for one axis of Pillow's antialiased bicubic resampling
 * ({@code precompute_coeffs} and {@code normalize_coeffs_8bpc} in Pillow's {@code Resample.c}):
 * the cubic kernel with a = -0.5 is stretched by the downscale factor, each output pixel's
 * weights are normalised to sum to one, then stored as 22-bit fixed point.
 */
final class BicubicKernel {

    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    final int taps;
    /** For output pixel i: first input pixel at {@code 2i}, number of taps used at {@code 2i+1}. */
    final int[] bounds;
    /** For output pixel i: fixed-point weights at {@code [i * taps, i * taps + bounds[2i+1])}. */
    final int[] weights;

    private BicubicKernel(int taps, int[] bounds, int[] weights) {
        this.taps = taps;
        this.bounds = bounds;
        this.weights = weights;
    }

    static BicubicKernel of(int inSizePx, int outSizePx) {
        double scale = (double) inSizePx / outSizePx;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int taps = (int) Math.ceil(support) * 2 + 1;
        int[] bounds = new int[outSizePx * 2];
        int[] weights = new int[outSizePx * taps];
        double[] k = new double[taps];
        double inverseScale = 1.0 / filterScale;
        for (int out = 0; out < outSizePx; out++) {
            double center = (out + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int count = Math.min((int) (center + support + 0.5), inSizePx) - min;
            double sum = 0.0;
            for (int x = 0; x < count; x++) {
                k[x] = cubic((x + min - center + 0.5) * inverseScale);
                sum += k[x];
            }
            for (int x = 0; x < count; x++) {
                weights[out * taps + x] = toFixedPoint(sum != 0.0 ? k[x] / sum : k[x]);
            }
            bounds[2 * out] = min;
            bounds[2 * out + 1] = count;
        }
        return new BicubicKernel(taps, bounds, weights);
    }

    private static int toFixedPoint(double weight) {
        double scaled = weight * (1 << PRECISION_BITS);
        return (int) (weight < 0 ? scaled - 0.5 : scaled + 0.5);
    }

    /** Keys' cubic convolution kernel, a = -0.5, written in Pillow's operation order. */
    static double cubic(double x) {
        final double a = -0.5;
        double t = Math.abs(x);
        if (t < 1.0) {
            return ((a + 2.0) * t - (a + 3.0)) * t * t + 1;
        }
        if (t < 2.0) {
            return (((t - 5) * t + 8) * t - 4) * a;
        }
        return 0.0;
    }
}
