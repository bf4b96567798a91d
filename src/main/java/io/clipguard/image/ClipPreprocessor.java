package io.clipguard.image;

import io.clipguard.model.ImageSpec;
import java.awt.image.BufferedImage;

/**
 * CLIP's image pre-processing, matching Hugging Face's {@code CLIPImageProcessor} on Pillow (and
 * the bundle's Python reference): to 8-bit RGB (alpha over white), resize the shorter side to the
 * model's size with Pillow's antialiased bicubic, centre-crop a square (offset rounded down), then
 * rescale and normalise per channel.
 *
 * <p>Output: {@code float[3 * sizePx * sizePx]}, channels first (R plane, G plane, B plane), rows
 * top to bottom; ready for {@code ImageEncoder}. On the project's Pillow reference images the
 * resized crop differs from Pillow's by 0 grey levels (see {@code ClipPreprocessorTest}).
 *
 * <p>Immutable and thread-safe. Cost grows with the input's pixel count, as Pillow's does: on one
 * core of the (busy) 2-core build machine about 6 ms for 640x480, 23 ms for 1600x1200 and 130 ms
 * for 4000x3000, so decode large images at a reduced scale first.
 */
public final class ClipPreprocessor {

    private final int sizePx;
    private final ResizeAndCrop resizeAndCrop;
    private final ChwNormalizer normalizer;

    private ClipPreprocessor(ImageSpec spec) {
        this.sizePx = spec.sizePx();
        this.resizeAndCrop = new ResizeAndCrop(sizePx);
        this.normalizer = new ChwNormalizer(spec);
    }

    /** A pre-processor for the model described by {@code spec}. */
    public static ClipPreprocessor from(ImageSpec spec) {
        return new ClipPreprocessor(spec);
    }

    /** Side of the square model input in pixels. */
    public int sizePx() {
        return sizePx;
    }

    /** Number of floats {@link #apply} returns: {@code 3 * sizePx * sizePx}. */
    public int outputLength() {
        return 3 * sizePx * sizePx;
    }

    /** Pre-processes one decoded image of any size, colour model and bit depth. */
    public float[] apply(BufferedImage image) {
        return normalizer.apply(modelImage(image));
    }

    /** The 8-bit square the model sees, before normalisation; for tests and debugging. */
    RgbImage modelImage(BufferedImage image) {
        return resizeAndCrop.apply(Rgb8Reader.read(image));
    }
}
