package io.clipguard.image;

import io.clipguard.model.ImageSpec;

/**
 * Turns an 8-bit RGB image into the model's input: {@code (value * rescale - mean[c]) / std[c]}
 * per channel, laid out channels first (CHW). A 256-entry table per channel makes it exact and cheap.
 */
final class ChwNormalizer {

    private final float[][] table = new float[3][256];

    ChwNormalizer(ImageSpec spec) {
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                table[c][v] = (float)
                        ((v * spec.rescale() - spec.mean().get(c)) / spec.std().get(c));
            }
        }
    }

    float[] apply(RgbImage image) {
        int plane = image.widthPx() * image.heightPx();
        float[] chw = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int p = 0; p < plane; p++) {
            chw[p] = table[0][rgb[3 * p] & 0xFF];
            chw[plane + p] = table[1][rgb[3 * p + 1] & 0xFF];
            chw[2 * plane + p] = table[2][rgb[3 * p + 2] & 0xFF];
        }
        return chw;
    }
}
