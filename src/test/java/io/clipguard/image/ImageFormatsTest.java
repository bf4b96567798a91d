package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each accepted format decodes with the right size, orientation and colours. */
class ImageFormatsTest {

    private static final int[][] CENTRES = {{16, 12}, {48, 12}, {16, 36}, {48, 36}};
    private final RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
    private final ImageIoFrameDecoder imageIo = new ImageIoFrameDecoder(DecodeLimits.DEFAULTS);

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void appliesExifOrientationTheSameOnEveryRoute(int orientation) throws Exception {
        BufferedImage stored = TestImages.quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage upright = Orientation.apply(stored, orientation);
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(stored, 0.95f, false), orientation);
        byte[] png = TestImages.pngWithExifOrientation(TestImages.encode(stored, "png"), orientation);

        assertSameCorners(upright, decoder.decode(jpeg), "reduced JPEG route (OpenCV)");
        assertSameCorners(upright, imageIo.decode(ImageFormat.JPEG, jpeg), "ImageIO JPEG route");
        assertSameCorners(upright, decoder.decode(png), "PNG");
    }

    @Test
    void decodesCmykAndYcckJpegsWithTheRightColours() {
        for (boolean ycck : new boolean[] {false, true}) {
            BufferedImage image = decoder.decode(TestImages.cmykJpeg(ycck));
            int[] expected = {0x00FFFF, 0xFF00FF, 0xFFFF00, 0x000000};
            for (int q = 0; q < 4; q++) {
                assertClose(
                        expected[q],
                        TestImages.rgb(image, 16 + 32 * (q % 2), 16 + 32 * (q / 2)),
                        (ycck ? "YCCK" : "CMYK") + " quadrant " + q);
            }
        }
    }

    @Test
    void decodesPalettePngs() {
        BufferedImage palette = TestImages.quadrants(64, 48, BufferedImage.TYPE_BYTE_INDEXED);

        assertSameCorners(palette, decoder.decode(TestImages.encode(palette, "png")), "palette PNG");
    }

    @Test
    void decodesSixteenBitPngsToTheirHighByte() {
        ComponentColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(8, 8);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                raster.setPixel(x, y, new int[] {0x12FF, 0xAB00, 0xFFFF});
            }
        }
        byte[] png = TestImages.encode(new BufferedImage(model, raster, false, null), "png");

        assertEquals(0x12ABFF, TestImages.rgb(decoder.decode(png), 3, 3));
    }

    @Test
    void keepsAlphaSoThePreprocessorCompositesEveryFormatOverWhite() {
        BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 1, 0x80FF0000);
        argb.setRGB(2, 2, 0x00123456);
        BufferedImage decoded = decoder.decode(TestImages.encode(argb, "png"));

        assertTrue(decoded.getColorModel().hasAlpha());
        assertEquals(0xFF7F7F, TestImages.rgb(decoded, 1, 1), "half red over white, Pillow's rounding");
        assertEquals(0xFFFFFF, TestImages.rgb(decoded, 2, 2), "transparent is white");
    }

    @Test
    void decodesTheFirstFrameOfAnAnimatedGif() {
        BufferedImage image = decoder.decode(TestImages.animatedGif(20, 10, Color.RED, Color.BLUE));

        assertEquals(20, image.getWidth());
        assertEquals(0xFF0000, TestImages.rgb(image, 5, 5));
    }

    @Test
    void placesAGifsFirstFrameOnItsLogicalScreenAsPillowDoes() {
        BufferedImage frame = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_INDEXED);
        java.awt.Graphics2D g = frame.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 10, 10);
        g.dispose();
        byte[] gif = TestImages.encode(frame, "gif");
        java.nio.ByteBuffer.wrap(gif)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putShort(6, (short) 40)
                .putShort(8, (short) 30)
                .putShort(imageDescriptor(gif) + 1, (short) 12)
                .putShort(imageDescriptor(gif) + 3, (short) 8);

        BufferedImage image = decoder.decode(gif);

        assertEquals(40, image.getWidth());
        assertEquals(30, image.getHeight());
        assertEquals(0xFF0000, TestImages.rgb(image, 15, 12), "the frame at its offset");
        int indexZero = ((java.awt.image.IndexColorModel) image.getColorModel()).getRGB(0) & 0xFFFFFF;
        assertEquals(indexZero, TestImages.rgb(image, 0, 0), "the rest filled with index 0, as Pillow does");
    }

    /** Offset of the first image descriptor: past the header, global palette and extensions. */
    private static int imageDescriptor(byte[] gif) {
        int at = 13 + ((gif[10] & 0x80) != 0 ? 3 << ((gif[10] & 0x07) + 1) : 0);
        while ((gif[at] & 0xFF) == 0x21) {
            at += 2;
            while (gif[at] != 0) {
                at += 1 + (gif[at] & 0xFF);
            }
            at++;
        }
        assertEquals(0x2C, gif[at] & 0xFF);
        return at;
    }

    @Test
    void decodesBmp() {
        BufferedImage stored = TestImages.quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR);

        assertSameCorners(stored, decoder.decode(TestImages.encode(stored, "bmp")), "BMP");
    }

    @Test
    void decodesLossyAndLosslessWebp() {
        BufferedImage stored = TestImages.quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR);

        assertSameCorners(stored, decoder.decode(TestImages.webp(stored, 101)), "lossless WebP");
        assertSameCorners(stored, decoder.decode(TestImages.webp(stored, 90)), "lossy WebP");
    }

    @Test
    void decodesWebpAlphaForThePreprocessorToCompositeOverWhite() {
        BufferedImage argb = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(1, 1, 0x80FF0000);
        BufferedImage bgra = new BufferedImage(8, 8, BufferedImage.TYPE_4BYTE_ABGR);
        bgra.getGraphics().drawImage(argb, 0, 0, null);

        BufferedImage decoded = decoder.decode(TestImages.webpWithAlpha(bgra));

        assertTrue(decoded.getColorModel().hasAlpha());
        assertEquals(0xFF7F7F, TestImages.rgb(decoded, 1, 1), "half red over white");
        assertEquals(0xFFFFFF, TestImages.rgb(decoded, 5, 5), "transparent is white");
    }

    @Test
    void decodesTheFirstFrameOfAnAnimatedWebp() {
        BufferedImage image = decoder.decode(TestImages.animatedWebp());

        assertEquals(0xFF0000, TestImages.rgb(image, 5, 5));
    }

    private static void assertSameCorners(BufferedImage expected, BufferedImage actual, String route) {
        assertEquals(expected.getWidth(), actual.getWidth(), route + " width");
        assertEquals(expected.getHeight(), actual.getHeight(), route + " height");
        for (int[] at : CENTRES) {
            int x = at[0] * expected.getWidth() / 64;
            int y = at[1] * expected.getHeight() / 48;
            assertClose(TestImages.rgb(expected, x, y), TestImages.rgb(actual, x, y), route + " at " + x + "," + y);
        }
    }

    /** Within 12 grey levels per channel: lossy formats blur colour edges a little. */
    private static void assertClose(int expected, int actual, String what) {
        for (int shift = 0; shift <= 16; shift += 8) {
            int e = expected >> shift & 0xFF;
            int a = actual >> shift & 0xFF;
            assertTrue(
                    Math.abs(e - a) <= 12,
                    what + ": expected " + Integer.toHexString(expected) + " got " + Integer.toHexString(actual));
        }
    }
}
