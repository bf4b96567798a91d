package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipguard.testing.Requires;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The system's libjpeg-turbo gives the model the same pixels as OpenCV's built-in one, at every DCT
 * scale, upright: swapping the decoder changes speed only. Needs {@code libturbojpeg0}, which
 * {@code .ci/run} installs; without it the decoder is not used and there is nothing to compare.
 * Set {@code -Dclipguard.photos=DIR} to compare real photographs as well (see
 * {@link ReducedJpegFidelityCheck}).
 */
class TurboJpegDecoderTest {

    @BeforeAll
    static void bothDecodersInstalled() {
        Requires.that(
                TurboJpegDecoder.available(), "libturbojpeg.so.0 is not installed (apt-get install libturbojpeg0)");
        assumeTrue(OpenCvDecoder.available(), "OpenCV is not available");
    }

    @Test
    void samePixelsAsOpenCvAtEveryScale() {
        BufferedImage texture = TestImages.texture(1203, 907, 7);
        List<byte[]> jpegs = List.of(
                TestImages.jpeg(texture, 0.9f, false),
                TestImages.jpeg(texture, 0.5f, false),
                TestImages.jpeg(texture, 0.9f, true),
                TestImages.jpeg(greyscale(texture), 0.8f, false));
        for (byte[] jpeg : jpegs) {
            for (int scale : new int[] {1, 2, 4, 8}) {
                assertSamePixels(jpeg, scale, "texture at 1/" + scale);
            }
        }
    }

    @Test
    void turnsTheImageUprightAsOpenCvDoes() {
        byte[] plain = TestImages.jpeg(TestImages.texture(160, 90, 3), 0.9f, false);
        for (int orientation = 1; orientation <= 8; orientation++) {
            byte[] jpeg = TestImages.withExifOrientation(plain, orientation);
            RgbImage viaRouting = Rgb8Reader.read(RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224)
                    .decode(jpeg));
            RgbImage viaOpenCv = Rgb8Reader.read(OpenCvDecoder.decodeJpeg(jpeg, 1));
            assertImagesEqual(viaOpenCv, viaRouting, "orientation " + orientation);
        }
    }

    @Test
    void leavesWhatItCannotDecodeCleanlyToTheFallback() {
        byte[] jpeg = TestImages.jpeg(TestImages.texture(320, 240, 5), 0.9f, false);
        byte[] truncated = java.util.Arrays.copyOf(jpeg, jpeg.length / 2);
        JpegHeader header = JpegHeader.parse(jpeg);
        assertNull(
                TurboJpegDecoder.decode(truncated, header, 1),
                "a warning (premature end of data) is not a clean decode");
        byte[] cmyk = TestImages.cmykJpeg(false);
        assertNull(TurboJpegDecoder.decode(cmyk, JpegHeader.parse(cmyk), 1), "CMYK is not converted to RGB");
        JpegHeader other = JpegHeader.parse(TestImages.jpeg(TestImages.texture(640, 480, 5), 0.9f, false));
        assertNull(TurboJpegDecoder.decode(jpeg, other, 1), "dimensions other than the vetted header's");
        assertNotNull(TurboJpegDecoder.decode(jpeg, header, 1));
    }

    @Test
    void samePixelsOnRealPhotographsWhenGiven() throws IOException {
        String dir = System.getProperty("clipguard.photos");
        assumeTrue(dir != null && !dir.isBlank(), "set -Dclipguard.photos=DIR to compare photographs");
        List<Path> photos = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(dir))) {
            files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg"))
                    .sorted()
                    .forEach(photos::add);
        }
        for (Path photo : photos) {
            byte[] jpeg = Files.readAllBytes(photo);
            JpegHeader header = JpegHeader.parse(jpeg);
            int scale = OpenCvDecoder.scaleFor(header.widthPx(), header.heightPx(), 448);
            assertSamePixels(jpeg, scale, photo.getFileName() + " at 1/" + scale);
        }
    }

    @Test
    void aReusingDecodeGivesTheSamePixelsInTheThreadsKeptArray() {
        RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
        byte[] large = TestImages.jpeg(TestImages.texture(1203, 907, 7), 0.9f, false);
        byte[] small = TestImages.jpeg(TestImages.texture(500, 300, 5), 0.9f, false);

        RgbImage first = Rgb8Reader.read(decoder.decodeReusing(large));
        assertImagesEqual(Rgb8Reader.read(decoder.decode(large)), first, "large, reusing");
        byte[] kept = first.rgb();

        RgbImage smaller = Rgb8Reader.read(decoder.decodeReusing(small));
        assertSame(kept, smaller.rgb(), "a smaller image is written into the same array");
        assertTrue(kept.length > 3 * smaller.widthPx() * smaller.heightPx(), "the array is longer than its pixels");
        assertImagesEqual(Rgb8Reader.read(decoder.decode(small)), smaller, "small after large, reusing");
        ClipPreprocessor clip = ClipPreprocessor.from(ClipPreprocessorTest.CLIP);
        assertArrayEquals(
                clip.apply(decoder.decode(small)),
                clip.apply(decoder.decodeReusing(small)),
                "the model's input from a longer array");

        assertNotSame(kept, Rgb8Reader.read(decoder.decode(large)).rgb(), "a plain decode owns its pixels");
    }

    private static void assertSamePixels(byte[] jpeg, int scale, String what) {
        BufferedImage turbo = TurboJpegDecoder.decode(jpeg, JpegHeader.parse(jpeg), scale);
        BufferedImage openCv = OpenCvDecoder.decodeJpeg(jpeg, scale);
        assertNotNull(turbo, what + ": TurboJPEG");
        assertNotNull(openCv, what + ": OpenCV");
        assertImagesEqual(Rgb8Reader.read(openCv), Rgb8Reader.read(turbo), what);
    }

    private static void assertImagesEqual(RgbImage expected, RgbImage actual, String what) {
        assertEquals(expected.widthPx(), actual.widthPx(), what + ": width");
        assertEquals(expected.heightPx(), actual.heightPx(), what + ": height");
        int length = 3 * expected.widthPx() * expected.heightPx();
        assertArrayEquals(
                Arrays.copyOf(expected.rgb(), length), Arrays.copyOf(actual.rgb(), length), what + ": pixels");
    }

    private static BufferedImage greyscale(BufferedImage image) {
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(image, 0, 0, null);
        return grey;
    }
}
