package io.clipguard.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;

/**
 * Brings any decoded image to 8-bit RGB the same way every time: greyscale is replicated
 * (no gamma change, unlike {@code BufferedImage.getRGB} on grey images), 16-bit samples keep their
 * high byte (as Pillow reads 16-bit PNGs), palettes are looked up, and alpha is composited over
 * white with Pillow's rounding ({@code paste(image, mask=alpha)} on a white canvas).
 */
final class Rgb8Reader {

  /** Fills {@code argb} with row {@code y} as non-premultiplied 8-bit ARGB. */
  private interface RowReader {
    void read(int y, int[] argb);
  }

  private Rgb8Reader() {
  }

  static RgbImage read(BufferedImage image) {
    int width = image.getWidth();
    RowReader rows = hasPlainSamples(image.getColorModel())
        ? samples(image.getRaster(), image.getColorModel())
        : (y, argb) -> image.getRGB(0, y, width, 1, argb, 0, width);
    RgbImage out = RgbImage.blank(width, image.getHeight());
    int[] argb = new int[width];
    for (int y = 0; y < out.heightPx(); y++) {
      rows.read(y, argb);
      writeOverWhite(argb, out.rgb(), 3 * y * width);
    }
    return out;
  }

  /** sRGB or grey, 8 or 16 bits, not premultiplied: read the samples, skip colour management. */
  private static boolean hasPlainSamples(ColorModel model) {
    int space = model.getColorSpace().getType();
    int bits = model.getComponentSize(0);
    return model instanceof ComponentColorModel
        && !model.isAlphaPremultiplied()
        && (model.getColorSpace().isCS_sRGB() || space == ColorSpace.TYPE_GRAY)
        && (bits == 8 && model.getTransferType() == DataBuffer.TYPE_BYTE
            || bits == 16 && model.getTransferType() == DataBuffer.TYPE_USHORT);
  }

  private static RowReader samples(Raster raster, ColorModel model) {
    int colours = model.getNumColorComponents();
    int bands = raster.getNumBands();
    int shift = model.getComponentSize(0) - 8;
    int[] row = new int[raster.getWidth() * bands];
    return (y, argb) -> {
      raster.getPixels(0, y, raster.getWidth(), 1, row);
      for (int x = 0, i = 0; x < argb.length; x++, i += bands) {
        int r = row[i] >> shift;
        int g = colours == 1 ? r : row[i + 1] >> shift;
        int b = colours == 1 ? r : row[i + 2] >> shift;
        int a = bands > colours ? row[i + colours] >> shift : 255;
        argb[x] = a << 24 | r << 16 | g << 8 | b;
      }
    };
  }

  private static void writeOverWhite(int[] argb, byte[] rgb, int at) {
    for (int x = 0; x < argb.length; x++) {
      int a = argb[x] >>> 24;
      rgb[at + 3 * x] = (byte) overWhite(argb[x] >> 16 & 0xFF, a);
      rgb[at + 3 * x + 1] = (byte) overWhite(argb[x] >> 8 & 0xFF, a);
      rgb[at + 3 * x + 2] = (byte) overWhite(argb[x] & 0xFF, a);
    }
  }

  /** Pillow's {@code BLEND}: {@code round((white * (255 - a) + c * a) / 255)} via its DIV255. */
  static int overWhite(int c, int a) {
    int t = 255 * (255 - a) + c * a + 128;
    return ((t >> 8) + t) >> 8;
  }
}
