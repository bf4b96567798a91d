package io.clipguard.image;

/**
 * Cuts the centred {@code sizePx} square. The offset is {@code round((side - sizePx) / 2)} with
 * Python's round-half-to-even, as torchvision's {@code CenterCrop} (OpenAI CLIP's pipeline) does.
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
      throw new IllegalArgumentException("cannot crop " + sizePx + "px from "
          + image.widthPx() + "x" + image.heightPx());
    }
    int left = offset(image.widthPx());
    int top = offset(image.heightPx());
    RgbImage out = RgbImage.blank(sizePx, sizePx);
    for (int y = 0; y < sizePx; y++) {
      System.arraycopy(image.rgb(), 3 * ((top + y) * image.widthPx() + left), out.rgb(),
          3 * y * sizePx, 3 * sizePx);
    }
    return out;
  }

  private int offset(int sidePx) {
    return (int) Math.rint((sidePx - sizePx) / 2.0);
  }
}
