package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Turns a decoded image upright as its EXIF orientation says (the same mapping as Pillow's
 * {@code ImageOps.exif_transpose}), keeping its colour model and sample depth.
 */
final class Orientation {

  private Orientation() {
  }

  /** The upright image; {@code image} itself for orientation 1 or an unknown value. */
  static BufferedImage apply(BufferedImage image, int exifOrientation) {
    if (exifOrientation < 2 || exifOrientation > 8) {
      return image;
    }
    int width = image.getWidth();
    int height = image.getHeight();
    boolean swaps = exifOrientation >= 5;
    ColorModel model = image.getColorModel();
    WritableRaster target = model.createCompatibleWritableRaster(swaps ? height : width,
        swaps ? width : height);
    Raster source = image.getRaster();
    int[] pixel = new int[source.getNumBands()];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        source.getPixel(x, y, pixel);
        target.setPixel(targetX(exifOrientation, x, y, width, height),
            targetY(exifOrientation, x, y, width, height), pixel);
      }
    }
    return new BufferedImage(model, target, model.isAlphaPremultiplied(), null);
  }

  private static int targetX(int orientation, int x, int y, int width, int height) {
    return switch (orientation) {
      case 2, 3 -> width - 1 - x;
      case 4 -> x;
      case 5, 8 -> y;
      default -> height - 1 - y; // 6: rotate 90 clockwise, 7: transverse
    };
  }

  private static int targetY(int orientation, int x, int y, int width, int height) {
    return switch (orientation) {
      case 2 -> y;
      case 3, 4 -> height - 1 - y;
      case 5, 6 -> x;
      default -> width - 1 - x; // 7: transverse, 8: rotate 90 counter-clockwise
    };
  }
}
