package io.clipguard.image;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Turns a decoded image upright as its EXIF orientation says (the same mapping as Pillow's
 * {@code ImageOps.exif_transpose}), keeping its colour model and sample depth. Moves whole rows:
 * each stored row becomes a row (orientations 2 to 4) or a column (5 to 8) of the result.
 */
final class Orientation {

    private Orientation() {}

    /** The upright image; {@code image} itself for orientation 1 or an unknown value. */
    static BufferedImage apply(BufferedImage image, int exifOrientation) {
        if (exifOrientation < 2 || exifOrientation > 8) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        boolean swaps = exifOrientation >= 5;
        ColorModel model = image.getColorModel();
        WritableRaster target = model.createCompatibleWritableRaster(swaps ? height : width, swaps ? width : height);
        Raster source = image.getRaster();
        int bands = source.getNumBands();
        boolean reversed = exifOrientation == 2 || exifOrientation == 3 || exifOrientation >= 7;
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            source.getPixels(0, y, width, 1, row);
            if (reversed) {
                reverse(row, bands);
            }
            int line = exifOrientation == 2 || exifOrientation == 5 || exifOrientation == 8 ? y : height - 1 - y;
            if (swaps) {
                target.setPixels(line, 0, 1, width, row); // a stored row becomes a column
            } else {
                target.setPixels(0, line, width, 1, row);
            }
        }
        return new BufferedImage(model, target, model.isAlphaPremultiplied(), null);
    }

    /** Reverses the order of the pixels in a row of interleaved samples. */
    private static void reverse(int[] row, int bands) {
        for (int left = 0, right = row.length - bands; left < right; left += bands, right -= bands) {
            for (int b = 0; b < bands; b++) {
                int sample = row[left + b];
                row[left + b] = row[right + b];
                row[right + b] = sample;
            }
        }
    }
}
