package io.clipguard.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.util.Arrays;

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

    private Rgb8Reader() {}

    static RgbImage read(BufferedImage image) {
        if (isPackedRgb(image)) {
            return new RgbImage(image.getWidth(), image.getHeight(), bytes(image));
        }
        int width = image.getWidth();
        RowReader rows = rowReader(image);
        RgbImage out = RgbImage.blank(width, image.getHeight());
        int[] argb = new int[width];
        for (int y = 0; y < out.heightPx(); y++) {
            rows.read(y, argb);
            writeOverWhite(argb, out.rgb(), 3 * y * width);
        }
        return out;
    }

    /**
     * An opaque sRGB image over the first {@code 3 * widthPx * heightPx} bytes of {@code rgb} as they
     * are (R, G, B per pixel, rows packed; the array may be longer, a buffer kept for reuse): what a
     * decoder that writes RGB bytes returns, and what {@link #read} hands on without a copy.
     */
    static BufferedImage packedRgb(int widthPx, int heightPx, byte[] rgb) {
        WritableRaster raster = Raster.createInterleavedRaster(
                new DataBufferByte(rgb, 3 * widthPx * heightPx),
                widthPx,
                heightPx,
                3 * widthPx,
                3,
                new int[] {0, 1, 2},
                null);
        ColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        return new BufferedImage(model, raster, false, null);
    }

    private static boolean isPackedRgb(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        return model instanceof ComponentColorModel
                && model.getColorSpace().isCS_sRGB()
                && !model.hasAlpha()
                && model.getComponentSize(0) == 8
                && raster.getDataBuffer() instanceof DataBufferByte data
                && data.getNumBanks() == 1
                && data.getOffset() == 0
                && data.getSize() == 3 * image.getWidth() * image.getHeight()
                && raster.getSampleModelTranslateX() == 0
                && raster.getSampleModelTranslateY() == 0
                && raster.getSampleModel() instanceof PixelInterleavedSampleModel layout
                && layout.getPixelStride() == 3
                && layout.getScanlineStride() == 3 * image.getWidth()
                && Arrays.equals(layout.getBandOffsets(), new int[] {0, 1, 2});
    }

    private static byte[] bytes(BufferedImage image) {
        return ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    }

    private static RowReader rowReader(BufferedImage image) {
        ColorModel model = image.getColorModel();
        Raster raster = image.getRaster();
        if (!hasPlainSamples(model)) {
            return (y, argb) -> image.getRGB(0, y, argb.length, 1, argb, 0, argb.length);
        }
        boolean oneByteArray = raster.getDataBuffer() instanceof DataBufferByte bytes
                && bytes.getNumBanks() == 1
                && raster.getSampleModel() instanceof ComponentSampleModel;
        return oneByteArray ? interleavedBytes(raster, model) : samples(raster, model);
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

    /** The common case (8-bit JPEG, PNG): index the bytes directly, without per-row copies. */
    private static RowReader interleavedBytes(Raster raster, ColorModel model) {
        ComponentSampleModel layout = (ComponentSampleModel) raster.getSampleModel();
        byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
        int pixelStride = layout.getPixelStride();
        int rowStride = layout.getScanlineStride();
        int origin = raster.getDataBuffer().getOffset()
                - raster.getSampleModelTranslateY() * rowStride
                - raster.getSampleModelTranslateX() * pixelStride;
        int[] band = layout.getBandOffsets();
        int colours = model.getNumColorComponents();
        int r = band[0];
        int g = band[colours == 1 ? 0 : 1];
        int b = band[colours == 1 ? 0 : 2];
        int a = model.hasAlpha() ? band[colours] : -1;
        return (y, argb) -> {
            for (int x = 0, p = origin + y * rowStride; x < argb.length; x++, p += pixelStride) {
                int alpha = a < 0 ? 0xFF : data[p + a] & 0xFF;
                argb[x] = alpha << 24 | (data[p + r] & 0xFF) << 16 | (data[p + g] & 0xFF) << 8 | (data[p + b] & 0xFF);
            }
        };
    }

    private static void writeOverWhite(int[] argb, byte[] rgb, int at) {
        for (int x = 0; x < argb.length; x++) {
            int a = argb[x] >>> 24;
            if (a == 0xFF) {
                rgb[at + 3 * x] = (byte) (argb[x] >> 16);
                rgb[at + 3 * x + 1] = (byte) (argb[x] >> 8);
                rgb[at + 3 * x + 2] = (byte) argb[x];
                continue;
            }
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
