package io.clipguard.image;

import java.awt.image.BufferedImage;

/**
 * A decoded image as 8-bit RGB, R, G, B per pixel, rows packed (alpha composited over white, grey
 * replicated, as the pre-processor sees it), for the stages that read pixels outside this package:
 * the PDQ hasher. {@code rgb} may be longer than {@code 3 * width * height} and is shared, not
 * copied, when the decoder produced packed RGB.
 */
public record Rgb8(int widthPx, int heightPx, byte[] rgb) {

    public static Rgb8 of(BufferedImage image) {
        RgbImage pixels = Rgb8Reader.read(image);
        return new Rgb8(pixels.widthPx(), pixels.heightPx(), pixels.rgb());
    }
}
