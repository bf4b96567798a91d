package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RoutingImageDecoderTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(8L << 20, 20_000_000L);
    private final RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(LIMITS, 224);

    @Test
    void decodesALargeJpegAtTheLargestReductionThatKeepsTwiceTheModelSize() {
        byte[] jpeg = TestImages.jpeg(TestImages.texture(2000, 1600, 1), 0.9f, false);

        BufferedImage image = decoder.decode(jpeg);

        assertEquals(1000, image.getWidth(), "1600 / 4 = 400 < 448, so 1/2");
        assertEquals(800, image.getHeight());
    }

    @Test
    void decodesASmallJpegAtFullSize() {
        BufferedImage image = decoder.decode(TestImages.jpeg(TestImages.texture(800, 600, 2), 0.9f, true));

        assertEquals(800, image.getWidth());
        assertEquals(600, image.getHeight());
    }

    @Test
    void picksTheScaleFromTheShorterSide() {
        assertEquals(8, OpenCvDecoder.scaleFor(6000, 4000, 448));
        assertEquals(4, OpenCvDecoder.scaleFor(4000, 3000, 448));
        assertEquals(2, OpenCvDecoder.scaleFor(1920, 1080, 448));
        assertEquals(1, OpenCvDecoder.scaleFor(1600, 890, 448));
        assertEquals(2, OpenCvDecoder.scaleFor(1600, 895, 448), "ceil(895 / 2) = 448");
    }

    /**
     * The test card is noisier than photographs (uniform noise of +-10 per pixel): on the Debian
     * photographs the mean difference is 0.08 to 0.96 (README), here about 0.66.
     */
    @Test
    void reducedJpegGivesTheModelNearlyTheSameImageAsAFullDecode() {
        byte[] jpeg = TestImages.jpeg(TestImages.texture(2400, 1800, 3), 0.92f, false);
        ClipPreprocessor clip = ClipPreprocessor.from(ClipPreprocessorTest.CLIP);
        RoutingImageDecoder full = new RoutingImageDecoder(LIMITS, Integer.MAX_VALUE);

        RgbImage reduced = clip.modelImage(decoder.decode(jpeg));
        RgbImage reference = clip.modelImage(full.decode(jpeg));

        assertTrue(meanDifference(reduced, reference) < 1.0, "mean difference " + meanDifference(reduced, reference));
    }

    @Test
    void refusesPixelBombsFromTheHeaderWithoutDecoding() {
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            assertReason(RejectReason.IMAGE_TOO_LARGE, TestImages.pngHeaderOnly(50_000, 50_000));
            assertReason(RejectReason.IMAGE_TOO_LARGE, jpegFrameOnly(60_000, 60_000));
        });
        ImageRejectedException e = assertReason(RejectReason.IMAGE_TOO_LARGE, TestImages.pngHeaderOnly(50_000, 50_000));
        assertEquals("image is 50000x50000 px, over the limit of 20000000 px", e.getMessage());
    }

    @Test
    void refusesMoreBytesThanTheCap() {
        RoutingImageDecoder small = new RoutingImageDecoder(new DecodeLimits(1000, 1_000_000), 448);

        assertEquals(
                RejectReason.IMAGE_TOO_LARGE,
                assertThrows(ImageRejectedException.class, () -> small.decode(new byte[1001]))
                        .reason());
    }

    @Test
    void refusesNoBytesAsEmpty() {
        assertReason(RejectReason.IMAGE_EMPTY, new byte[0]);
        assertReason(RejectReason.IMAGE_EMPTY, null);
    }

    @Test
    void refusesOtherFormatsNamingWhatWasSent() {
        assertRefused("heic", isoFile("heic"));
        assertRefused("avif", isoFile("avif"));
        assertRefused("svg", "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        assertRefused("pdf", "%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj");
        assertRefused("text", "hello, this is not an image\n");
        assertRefused("tiff", TestImages.encode(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "tiff"));
        byte[] noise = new byte[4096];
        new java.util.Random(7).nextBytes(noise);
        noise[0] = 0x12;
        assertRefused("unknown", noise);
    }

    @Test
    void refusesCorruptDataAsUndecodable() {
        byte[] png = TestImages.encode(TestImages.texture(300, 200, 4), "png");
        byte[] jpeg = TestImages.jpeg(TestImages.texture(300, 200, 4), 0.9f, false);
        byte[] badLength = jpeg.clone();
        badLength[4] = (byte) 0xFF; // the first segment claims to run past the end of the file
        byte[] noMarker = jpeg.clone();
        noMarker[2 + 2 + ((jpeg[4] & 0xFF) << 8 | jpeg[5] & 0xFF)] = 0x12;

        assertReason(RejectReason.IMAGE_UNDECODABLE, Arrays.copyOf(png, png.length / 2));
        assertReason(RejectReason.IMAGE_UNDECODABLE, badLength);
        assertReason(RejectReason.IMAGE_UNDECODABLE, noMarker);
        assertReason(RejectReason.IMAGE_UNDECODABLE, Arrays.copyOf(jpeg, 20));
    }

    /** Found by DecodeFuzzTest: the TwelveMonkeys WebP reader spun for minutes on these 95 bytes. */
    @Test
    void rejectsTheTruncatedLosslessWebpThatHungTheTwelveMonkeysReaderQuickly() throws Exception {
        byte[] webp;
        try (var in = getClass().getResourceAsStream("DecodeFuzzTestInputs/regression-webp-lossless-hang.webp")) {
            webp = in.readAllBytes();
        }

        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertReason(RejectReason.IMAGE_UNDECODABLE, webp));
    }

    @Test
    void turnsAnyDecoderFailureIntoARejection() {
        byte[] png = TestImages.encode(TestImages.texture(30, 20, 5), "png");

        assertEquals(RejectReason.IMAGE_TOO_LARGE, failingWith(new OutOfMemoryError("Java heap space"), png));
        assertEquals(
                RejectReason.IMAGE_TOO_LARGE,
                failingWith(
                        new javax.imageio.IIOException(
                                "Caught exception during read: ", new OutOfMemoryError("Java heap space")),
                        png),
                "ImageIO's PNG reader wraps an OutOfMemoryError: still too large, not undecodable");
        assertEquals(RejectReason.IMAGE_UNDECODABLE, failingWith(new StackOverflowError(), png));
        assertEquals(RejectReason.IMAGE_UNDECODABLE, failingWith(new IllegalStateException("bug"), png));
        assertEquals(RejectReason.IMAGE_UNDECODABLE, failingWith(new ArrayIndexOutOfBoundsException(), png));
    }

    @Test
    void aWrappedOutOfMemoryErrorIsTheRejectionsCauseSoTheUploadIsTriedAgain() {
        byte[] png = TestImages.encode(TestImages.texture(30, 20, 5), "png");
        OutOfMemoryError heap = new OutOfMemoryError("Java heap space");
        RoutingImageDecoder failing = new RoutingImageDecoder(LIMITS, 448, (format, data) -> {
            throw new javax.imageio.IIOException("Caught exception during read: ", heap);
        });
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> failing.decode(png));
        assertEquals(RejectReason.IMAGE_TOO_LARGE, e.reason());
        assertSame(heap, e.getCause(), "the caller retries an upload whose rejection is caused by memory");
    }

    private static RejectReason failingWith(Throwable failure, byte[] bytes) {
        RoutingImageDecoder failing = new RoutingImageDecoder(LIMITS, 448, (format, data) -> {
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure instanceof java.io.IOException io) {
                throw io;
            }
            throw (RuntimeException) failure;
        });
        return assertThrows(ImageRejectedException.class, () -> failing.decode(bytes))
                .reason();
    }

    private ImageRejectedException assertReason(RejectReason reason, byte[] bytes) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    private void assertRefused(String format, String text) {
        assertRefused(format, text.getBytes(StandardCharsets.UTF_8));
    }

    private void assertRefused(String format, byte[] bytes) {
        ImageRejectedException e = assertReason(RejectReason.UNSUPPORTED_FORMAT, bytes);
        assertTrue(e.getMessage().startsWith("format " + format + " is not accepted"), e.getMessage());
    }

    /** An ISO base media file's first box: {@code ftyp} with the given major brand. */
    static byte[] isoFile(String brand) {
        return ByteBuffer.allocate(32)
                .putInt(24)
                .put("ftyp".getBytes())
                .put(brand.getBytes())
                .putInt(0)
                .put("mif1".getBytes())
                .put(brand.getBytes())
                .array();
    }

    /** SOI and a baseline frame header declaring the size; nothing else. */
    static byte[] jpegFrameOnly(int widthPx, int heightPx) {
        return ByteBuffer.allocate(2 + 4 + 15)
                .put((byte) 0xFF)
                .put((byte) 0xD8)
                .put((byte) 0xFF)
                .put((byte) 0xC0)
                .putShort((short) 17)
                .put((byte) 8)
                .putShort((short) heightPx)
                .putShort((short) widthPx)
                .put((byte) 3)
                .put(new byte[9])
                .array();
    }

    static double meanDifference(RgbImage a, RgbImage b) {
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return (double) sum / a.rgb().length;
    }
}
