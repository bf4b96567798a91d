package io.clipguard.image;

/**
 * Cuts the centred {@code sizePx} square at offset {@code floor((side - sizePx) / 2)}, as Hugging
 * Face's {@code CLIPImageProcessor} and the bundle's own Python reference (golden.json) do.
 * torchvision's {@code CenterCrop} (OpenAI's original pipeline) rounds half to even instead, which
 * moves the crop by one pixel when the margin is 4k+3; the tiny model, which averages 4x4 blocks
 * first, is sensitive to that shift (up to 0.016 per normalised embedding component).
 * Expects both sides to be at least {@code sizePx}, which {@link ResizeShorterSide} guarantees.
 */
final class CenterCrop implements ImageTransform {

    private final int sizePx;

    CenterCrop(int sizePx) {
        this.sizePx = sizePx;
    }

    @Override
    public RgbImage apply(RgbImage image) {
        if (image.widthPx() < sizePx || image.heightPx() < sizePx) {
            throw new IllegalArgumentException(
                    "cannot crop " + sizePx + "px from " + image.widthPx() + "x" + image.heightPx());
        }
        int left = offset(image.widthPx(), sizePx);
        int top = offset(image.heightPx(), sizePx);
        RgbImage out = RgbImage.blank(sizePx, sizePx);
        for (int y = 0; y < sizePx; y++) {
            System.arraycopy(
                    image.rgb(), 3 * ((top + y) * image.widthPx() + left), out.rgb(), 3 * y * sizePx, 3 * sizePx);
        }
        return out;
    }

    /** Where a centred {@code sizePx} crop starts on a side of {@code sidePx}: rounded down. */
    static int offset(int sidePx, int sizePx) {
        return (sidePx - sizePx) / 2;
    }
}
