package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class GeometryTest {

    @Test
    void resizesTheShorterSideAndTruncatesTheLonger() {
        RgbImage landscape = new ResizeShorterSide(224).apply(RgbImage.blank(398, 300));
        RgbImage portrait = new ResizeShorterSide(224).apply(RgbImage.blank(150, 260));

        assertEquals(297, landscape.widthPx());
        assertEquals(224, landscape.heightPx());
        assertEquals(224, portrait.widthPx());
        assertEquals(388, portrait.heightPx());
    }

    @Test
    void leavesAnImageOfTheRightSizeAlone() {
        RgbImage square = RgbImage.blank(224, 224);

        assertSame(square, new ResizeShorterSide(224).apply(square));
    }

    @Test
    void cropOffsetRoundsDownLikeHuggingFaceAndTheBundleReference() {
        assertEquals(36, cropLeft(297));
        assertEquals(37, cropLeft(299));
        assertEquals(0, cropLeft(225));
        assertEquals(2, cropLeft(229));
    }

    @Test
    void keepsAFlatColourFlatThroughResizeAndCrop() {
        RgbImage grey = RgbImage.blank(640, 480);
        java.util.Arrays.fill(grey.rgb(), (byte) 77);
        RgbImage out = new CenterCrop(224).apply(new ResizeShorterSide(224).apply(grey));

        for (byte b : out.rgb()) {
            assertEquals(77, b & 0xFF);
        }
    }

    /** Marks each column with its index, crops, and reads back where the crop started. */
    private static int cropLeft(int widthPx) {
        RgbImage image = RgbImage.blank(widthPx, 224);
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < widthPx; x++) {
                image.rgb()[3 * (y * widthPx + x)] = (byte) x;
            }
        }
        return new CenterCrop(224).apply(image).sample(0, 0, 0);
    }

    @Test
    void resizeAndCropIsResizeThenCropBitForBit() {
        java.util.Random random = new java.util.Random(7);
        int[][] sizes = {
            {398, 300},
            {300, 398},
            {224, 224},
            {224, 500},
            {500, 224},
            {1280, 800},
            {801, 1203},
            {225, 227},
            {640, 481},
            {4000, 300}
        };
        for (int[] size : sizes) {
            RgbImage image = RgbImage.blank(size[0], size[1]);
            random.nextBytes(image.rgb());
            RgbImage reference = new CenterCrop(224).apply(new ResizeShorterSide(224).apply(image));
            RgbImage fused = new ResizeAndCrop(224).apply(image);
            assertEquals(224, fused.widthPx());
            assertEquals(224, fused.heightPx());
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                    reference.rgb(), fused.rgb(), size[0] + "x" + size[1] + " differs");
        }
    }
}
