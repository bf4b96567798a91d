package io.clipguard.image;

/**
 * {@link ResizeShorterSide} then {@link CenterCrop}, bit for bit, in one step that resamples only the
 * pixels the crop keeps: for a 4:3 photograph a quarter of the horizontal pass is never computed.
 */
final class ResizeAndCrop implements ImageTransform {

    private final int sizePx;

    ResizeAndCrop(int sizePx) {
        this.sizePx = sizePx;
    }

    @Override
    public RgbImage apply(RgbImage image) {
        int width = image.widthPx();
        int height = image.heightPx();
        int outWidth = width <= height ? sizePx : ResizeShorterSide.longSide(sizePx, width, height);
        int outHeight = width <= height ? ResizeShorterSide.longSide(sizePx, height, width) : sizePx;
        return BicubicResampler.resizeRegion(
                image,
                outWidth,
                outHeight,
                CenterCrop.offset(outWidth, sizePx),
                CenterCrop.offset(outHeight, sizePx),
                sizePx,
                sizePx);
    }
}
