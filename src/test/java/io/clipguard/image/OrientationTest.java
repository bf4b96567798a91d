package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Against the pixel mapping of Pillow's {@code exif_transpose} (checked with Pillow 9.4). */
class OrientationTest {

    @ParameterizedTest(name = "orientation {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void movesEveryPixelWherePillowDoes(int orientation) {
        int width = 7;
        int height = 4;
        BufferedImage stored = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Random random = new Random(orientation);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                stored.setRGB(x, y, random.nextInt());
            }
        }

        BufferedImage upright = Orientation.apply(stored, orientation);

        boolean swaps = orientation >= 5;
        assertEquals(swaps ? height : width, upright.getWidth());
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int[] to = pillow(orientation, x, y, width, height);
                assertEquals(stored.getRGB(x, y), upright.getRGB(to[0], to[1]), "(" + x + "," + y + ")");
            }
        }
    }

    /** Where Pillow's transposes put stored pixel (x, y). */
    private static int[] pillow(int orientation, int x, int y, int w, int h) {
        return switch (orientation) {
            case 2 -> new int[] {w - 1 - x, y}; // FLIP_LEFT_RIGHT
            case 3 -> new int[] {w - 1 - x, h - 1 - y}; // ROTATE_180
            case 4 -> new int[] {x, h - 1 - y}; // FLIP_TOP_BOTTOM
            case 5 -> new int[] {y, x}; // TRANSPOSE
            case 6 -> new int[] {h - 1 - y, x}; // ROTATE_270
            case 7 -> new int[] {h - 1 - y, w - 1 - x}; // TRANSVERSE
            case 8 -> new int[] {y, w - 1 - x}; // ROTATE_90
            default -> new int[] {x, y};
        };
    }
}
