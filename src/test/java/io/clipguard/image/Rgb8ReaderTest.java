package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.awt.Point;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import org.junit.jupiter.api.Test;

class Rgb8ReaderTest {

    @Test
    void replicatesGreyWithoutGammaChange() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 128);
        grey.getRaster().setSample(1, 0, 0, 7);

        assertArrayEquals(bytes(128, 128, 128, 7, 7, 7), Rgb8Reader.read(grey).rgb());
    }

    @Test
    void keepsTheHighByteOfSixteenBitGrey() {
        BufferedImage grey = new BufferedImage(1, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 0xABCD);

        assertArrayEquals(bytes(0xAB, 0xAB, 0xAB), Rgb8Reader.read(grey).rgb());
    }

    @Test
    void keepsTheHighByteOfSixteenBitRgba() {
        ComponentColorModel model = new ComponentColorModel(
                ColorSpace.getInstance(ColorSpace.CS_sRGB),
                true,
                false,
                Transparency.TRANSLUCENT,
                DataBuffer.TYPE_USHORT);
        WritableRaster raster = model.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {0x1234, 0xFF00, 0x00FF, 0xFFFF});
        BufferedImage image = new BufferedImage(model, raster, false, null);

        assertArrayEquals(bytes(0x12, 0xFF, 0x00), Rgb8Reader.read(image).rgb());
    }

    @Test
    void compositesAlphaOverWhite() {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00000000);
        image.setRGB(1, 0, 0xFF102030);
        image.setRGB(2, 0, 0x80000000);

        assertArrayEquals(
                bytes(255, 255, 255, 0x10, 0x20, 0x30, 127, 127, 127),
                Rgb8Reader.read(image).rgb());
    }

    @Test
    void compositesTheSameWhateverTheLayout() {
        BufferedImage abgr = new BufferedImage(1, 1, BufferedImage.TYPE_4BYTE_ABGR);
        abgr.getRaster().setPixel(0, 0, new int[] {200, 100, 50, 77});
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 77 << 24 | 200 << 16 | 100 << 8 | 50);

        assertArrayEquals(Rgb8Reader.read(argb).rgb(), Rgb8Reader.read(abgr).rgb());
    }

    @Test
    void looksUpPalettesWithTransparency() {
        IndexColorModel palette =
                new IndexColorModel(8, 2, new byte[] {10, 0}, new byte[] {20, 0}, new byte[] {30, 0}, 1);
        BufferedImage image = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
        image.getRaster().setSample(0, 0, 0, 0);
        image.getRaster().setSample(1, 0, 0, 1);

        assertArrayEquals(
                bytes(10, 20, 30, 255, 255, 255), Rgb8Reader.read(image).rgb());
    }

    @Test
    void takesPackedRgbBytesAsTheyAreWithoutACopy() {
        byte[] rgb = bytes(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        BufferedImage packed = Rgb8Reader.packedRgb(2, 2, rgb);

        assertEquals(0x040506, packed.getRGB(1, 0) & 0xFFFFFF, "R, G, B in that order");
        assertSame(rgb, Rgb8Reader.read(packed).rgb());
        BufferedImage corner = packed.getSubimage(1, 1, 1, 1);
        assertArrayEquals(bytes(10, 11, 12), Rgb8Reader.read(corner).rgb(), "a view into the bytes is copied");
    }

    @Test
    void readsAnOffsetSubimage() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        image.setRGB(2, 3, 0x0A0B0C);
        BufferedImage sub = image.getSubimage(2, 3, 1, 1);
        Raster raster = sub.getRaster();

        assertEquals(
                new Point(-2, -3), new Point(raster.getSampleModelTranslateX(), raster.getSampleModelTranslateY()));
        assertArrayEquals(bytes(0x0A, 0x0B, 0x0C), Rgb8Reader.read(sub).rgb());
    }

    @Test
    void overWhiteRoundsLikePillow() {
        assertEquals(255, Rgb8Reader.overWhite(0, 0));
        assertEquals(0, Rgb8Reader.overWhite(0, 255));
        assertEquals(128, Rgb8Reader.overWhite(0, 127));
        assertEquals(191, Rgb8Reader.overWhite(128, 128));
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }
}
