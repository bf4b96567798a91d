package io.clipguard.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes with OpenCV's native codecs. JPEG: at 1/1, 1/2, 1/4 or 1/8 of its size in the DCT domain
 * (libjpeg-turbo's scaled inverse DCT, {@code IMREAD_REDUCED_COLOR_*}): the compressed data is read
 * once and no full-size raster is built; OpenCV turns it upright by its EXIF orientation. WebP:
 * with libwebp at full size, alpha kept, orientation left to the caller (the TwelveMonkeys WebP
 * reader hangs for minutes on some truncated lossless files: {@code DecodeFuzzTest} found one).
 * Thread-safe; native memory is released before each call returns.
 */
final class OpenCvDecoder {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCvDecoder.class);

    private OpenCvDecoder() {}

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

    /** The JPEG, 8-bit BGR, upright; null when OpenCV cannot decode it. */
    static BufferedImage decodeJpeg(byte[] jpeg, int scale) {
        return decode(jpeg, flags(scale));
    }

    /** The WebP's first frame, 8-bit BGR or BGRA (not premultiplied), as stored; null on failure. */
    static BufferedImage decodeWebp(byte[] webp) {
        return decode(webp, Imgcodecs.IMREAD_UNCHANGED);
    }

    private static BufferedImage decode(byte[] encoded, int flags) {
        if (!available()) {
            return null;
        }
        Mat input = new MatOfByte(encoded);
        Mat decoded = Imgcodecs.imdecode(input, flags);
        try {
            if (decoded.empty() || decoded.depth() != CvType.CV_8U) {
                return null;
            }
            return switch (decoded.channels()) {
                case 3 -> bgr(decoded);
                case 4 -> bgra(decoded);
                default -> null;
            };
        } finally {
            decoded.release();
            input.release();
        }
    }

    private static BufferedImage bgr(Mat decoded) {
        BufferedImage image = new BufferedImage(decoded.cols(), decoded.rows(), BufferedImage.TYPE_3BYTE_BGR);
        decoded.get(0, 0, ((DataBufferByte) image.getRaster().getDataBuffer()).getData());
        return image;
    }

    /** BGRA bytes as they are, read through band offsets: R at 2, G at 1, B at 0, alpha at 3. */
    private static BufferedImage bgra(Mat decoded) {
        int width = decoded.cols();
        byte[] bytes = new byte[4 * width * decoded.rows()];
        decoded.get(0, 0, bytes);
        WritableRaster raster = Raster.createInterleavedRaster(
                new DataBufferByte(bytes, bytes.length),
                width,
                decoded.rows(),
                4 * width,
                4,
                new int[] {2, 1, 0, 3},
                null);
        ColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB),
                true,
                false,
                Transparency.TRANSLUCENT,
                DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, raster, false, null);
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
