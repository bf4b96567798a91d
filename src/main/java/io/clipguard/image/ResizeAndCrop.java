package io.clipguard.image;

/**
 * {@link ResizeShorterSide} then {@link CenterCrop}, bit for bit, in one step that resamples only the
 * pixels the crop keeps: for a 4:3 photograph a quarter of the horizontal pass is never computed.
 * Resamples with the Vector API ({@link SimdResampler}) when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} (the project's launchers and tests do), else with the
 * scalar {@link BicubicResampler}; {@code -Dclipguard.simd=false} forces the scalar one.
 */
final class ResizeAndCrop implements ImageTransform {

    static final boolean SIMD = simdAvailable();

    private final int sizePx;

    ResizeAndCrop(int sizePx) {
        this.sizePx = sizePx;
    }

    @Override
    public RgbImage apply(RgbImage image) {
        return apply(image, SIMD);
    }

    /** With the Vector API resampler when {@code simd} (and it is available), else the scalar one. */
    RgbImage apply(RgbImage image, boolean simd) {
        int width = image.widthPx();
        int height = image.heightPx();
        int outWidth = width <= height ? sizePx : ResizeShorterSide.longSide(sizePx, width, height);
        int outHeight = width <= height ? ResizeShorterSide.longSide(sizePx, height, width) : sizePx;
        int left = CenterCrop.offset(outWidth, sizePx);
        int top = CenterCrop.offset(outHeight, sizePx);
        if (simd && SIMD && outWidth != width && outHeight != height) {
            return SimdResampler.resizeRegion(image, outWidth, outHeight, left, top, sizePx, sizePx);
        }
        return BicubicResampler.resizeRegion(image, outWidth, outHeight, left, top, sizePx, sizePx);
    }

    /** The Vector API is an incubator module in Java 17: present only when added to the JVM. */
    private static boolean simdAvailable() {
        return Boolean.parseBoolean(System.getProperty("clipguard.simd", "true"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && SimdResampler.ROWS_PER_VECTOR >= 1;
    }
}
