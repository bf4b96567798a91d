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
            return BicubicResampler.resize(image, sizePx, longSide(height, width));
        }
        return BicubicResampler.resize(image, longSide(width, height), sizePx);
    }

    private int longSide(int longPx, int shortPx) {
        return (int) ((double) ((long) sizePx * longPx) / shortPx);
    }
}
