package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a JPEG at 1/1, 1/2, 1/4 or 1/8 of its size in the DCT domain (libjpeg-turbo's scaled
 * inverse DCT, through OpenCV's {@code IMREAD_REDUCED_COLOR_*}): the compressed data is read once,
 * and no full-size raster is ever built. OpenCV turns the image upright by its EXIF orientation.
 * Thread-safe; native memory is released before each call returns.
 */
final class OpenCvJpegDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(OpenCvJpegDecoder.class);

  private OpenCvJpegDecoder() {
  }

  /** Whether OpenCV's native library loaded on this platform; checked once. */
  static boolean available() {
    return Native.LOADED;
  }

  /** The largest of 8, 4, 2, 1 that keeps the shorter side at least {@code minShortSidePx}. */
  static int scaleFor(int widthPx, int heightPx, int minShortSidePx) {
    int shortSide = Math.min(widthPx, heightPx);
    for (int scale = 8; scale > 1; scale /= 2) {
      if ((shortSide + scale - 1) / scale >= minShortSidePx) {
        return scale;
      }
    }
    return 1;
  }

  /** The image, 8-bit BGR, upright; null when OpenCV cannot decode it. */
  static BufferedImage decode(byte[] jpeg, int scale) {
    Mat encoded = new MatOfByte(jpeg);
    Mat decoded = Imgcodecs.imdecode(encoded, flags(scale));
    try {
      if (decoded.empty() || decoded.type() != CvType.CV_8UC3) {
        return null;
      }
      BufferedImage image = new BufferedImage(decoded.cols(), decoded.rows(),
          BufferedImage.TYPE_3BYTE_BGR);
      decoded.get(0, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
      return image;
    } finally {
      decoded.release();
      encoded.release();
    }
  }

  private static int flags(int scale) {
    return switch (scale) {
      case 1 -> Imgcodecs.IMREAD_COLOR;
      case 2 -> Imgcodecs.IMREAD_REDUCED_COLOR_2;
      case 4 -> Imgcodecs.IMREAD_REDUCED_COLOR_4;
      case 8 -> Imgcodecs.IMREAD_REDUCED_COLOR_8;
      default -> throw new IllegalArgumentException("scale must be 1, 2, 4 or 8, got " + scale);
    };
  }

  /** Loads the native library on first use, from inside the jar (no network). */
  private static final class Native {
    static final boolean LOADED = load();

    private static boolean load() {
      try {
        nu.pattern.OpenCV.loadLocally();
        return true;
      } catch (Throwable e) {
        LOG.warn("OpenCV is not available, JPEGs are decoded at full size with ImageIO", e);
        return false;
      }
    }
  }
}
