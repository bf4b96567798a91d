package io.clipguard.image;

/**
 * Scales so the shorter side becomes {@code sizePx}, keeping the aspect ratio; the longer side is
 * {@code int(sizePx * long / short)}, truncated, as torchvision's {@code Resize(int)} and Hugging
 * Face's {@code shortest_edge} compute it. Resampling is Pillow's antialiased bicubic.
 */
final class ResizeShorterSide implements ImageTransform {

    private final int sizePx;

    ResizeShorterSide(int sizePx) {
        this.sizePx = sizePx;
    }

    @Override
    public RgbImage apply(RgbImage image) {
        int width = image.widthPx();
        int height = image.heightPx();
        if (width <= height) {
            return BicubicResampler.resize(image, sizePx, longSide(sizePx, height, width));
        }
        return BicubicResampler.resize(image, longSide(sizePx, width, height), sizePx);
    }

    /** The long side after scaling the short one to {@code sizePx}, truncated. */
    static int longSide(int sizePx, int longPx, int shortPx) {
        return (int) ((double) ((long) sizePx * longPx) / shortPx);
    }
}
