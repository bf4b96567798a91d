package io.clipguard.image;

import static io.clipguard.image.CorpusEntry.decodes;
import static io.clipguard.image.CorpusEntry.rejected;

import io.clipguard.image.CorpusEntry.Probe;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The bad-input corpus, generated (no third-party files): broken, lying and hostile inputs with
 * the reason code each must be rejected with, and awkward but valid images with what they must
 * decode to. Deterministic. Run {@link #main} to write it out as files, for example as fuzzing seeds:
 *
 * <pre>
 * mvn -o test-compile &amp;&amp; java -cp "target/test-classes:target/classes:$(cat cp.txt)" \
 *     io.clipguard.image.BadInputCorpus src/test/resources/io/clipguard/image/DecodeFuzzTestInputs 65536
 * </pre>
 */
public final class BadInputCorpus {

    private static final int RED = 0xFF0000;
    private static final int BLUE = 0x0000FF;

    private BadInputCorpus() {}

    public static List<CorpusEntry> entries() {
        List<CorpusEntry> entries = new ArrayList<>(rejectedEntries());
        entries.addAll(decodableEntries());
        return entries;
    }

    static List<CorpusEntry> rejectedEntries() {
        byte[] png = TestImages.encode(TestImages.texture(120, 90, 1), "png");
        byte[] jpeg = TestImages.jpeg(TestImages.texture(120, 90, 1), 0.9f, false);
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x13;
        List<CorpusEntry> entries = new ArrayList<>(List.of(
                rejected("empty.bin", new byte[0], "image/png", RejectReason.IMAGE_EMPTY),
                rejected("random.bin", noise, "image/jpeg", RejectReason.UNSUPPORTED_FORMAT),
                rejected("zeros.bin", new byte[1024], "image/png", RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "png-wrong-magic.png",
                        MalformedImages.withFirstByte(png, 0x88),
                        "image/png",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "png-magic-jpeg-body.png",
                        TestImages.splice(jpeg, 0, TestImages.pngHeaderOnly(1, 1)),
                        "image/png",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "png-truncated.png",
                        MalformedImages.head(png, 0.5),
                        "image/png",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "png-no-data.png",
                        TestImages.pngHeaderOnly(100, 100),
                        "image/png",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "png-50000x50000-header.png",
                        TestImages.pngHeaderOnly(50_000, 50_000),
                        "image/png",
                        RejectReason.IMAGE_TOO_LARGE),
                rejected(
                        "png-bomb-20000x20000.png",
                        MalformedImages.pngOfZeros(20_000, 20_000, 1, 0, 20_000L * 2_501),
                        "image/png",
                        RejectReason.IMAGE_TOO_LARGE),
                rejected(
                        "jpeg-truncated-header.jpg",
                        MalformedImages.head(jpeg, 0.02),
                        "image/jpeg",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "jpeg-progressive-2000-scans.jpg",
                        MalformedImages.jpegScanBomb(
                                TestImages.jpeg(
                                        TestImages.quadrants(1600, 1200, BufferedImage.TYPE_3BYTE_BGR), 0.8f, true),
                                2000),
                        "image/jpeg",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "jpeg-bad-segment-length.jpg",
                        MalformedImages.jpegBadSegmentLength(jpeg),
                        "image/jpeg",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "jpeg-scan-before-frame.jpg",
                        MalformedImages.jpegScanBeforeFrame(),
                        "image/jpeg",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "jpeg-zero-height.jpg",
                        MalformedImages.jpegZeroHeight(jpeg),
                        "image/jpeg",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "jpeg-60000x60000-header.jpg",
                        RoutingImageDecoderTest.jpegFrameOnly(60_000, 60_000),
                        "image/jpeg",
                        RejectReason.IMAGE_TOO_LARGE),
                rejected(
                        "gif-65535x65535-header.gif",
                        MalformedImages.gifHeader(65_535, 65_535),
                        "image/gif",
                        RejectReason.IMAGE_TOO_LARGE),
                // the JDK's BMP reader checks the declared size against the data before the pixel cap can
                rejected(
                        "bmp-30000x30000-no-data.bmp",
                        MalformedImages.bmpHeader(30_000, 30_000),
                        "image/bmp",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "webp-garbage.webp",
                        MalformedImages.webpGarbage(),
                        "image/webp",
                        RejectReason.IMAGE_UNDECODABLE),
                rejected(
                        "webp-animated-frame-bomb.webp",
                        MalformedImages.webpAnimatedFrameBomb(),
                        "image/webp",
                        RejectReason.IMAGE_TOO_LARGE)));
        entries.addAll(otherFormats());
        return entries;
    }

    private static List<CorpusEntry> otherFormats() {
        return List.of(
                rejected(
                        "image.svg",
                        text("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                                + "width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"),
                        "image/svg+xml",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "document.pdf",
                        text("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"),
                        "application/pdf",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "photo.heic",
                        RoutingImageDecoderTest.isoFile("heic"),
                        "image/heic",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "photo.avif",
                        RoutingImageDecoderTest.isoFile("avif"),
                        "image/avif",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "scan.tiff",
                        TestImages.encode(TestImages.quadrants(8, 8, BufferedImage.TYPE_INT_RGB), "tiff"),
                        "image/tiff",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "notes.txt",
                        text("just some text, claiming to be a JPEG\n"),
                        "image/jpeg",
                        RejectReason.UNSUPPORTED_FORMAT),
                rejected(
                        "page.html",
                        text("<!doctype html><html><body><img src=x></body></html>\n"),
                        "image/png",
                        RejectReason.UNSUPPORTED_FORMAT));
    }

    static List<CorpusEntry> decodableEntries() {
        BufferedImage quadrants = TestImages.quadrants(64, 48, BufferedImage.TYPE_3BYTE_BGR);
        BufferedImage alpha = new BufferedImage(32, 32, BufferedImage.TYPE_INT_ARGB);
        byte[] bigJpeg = TestImages.jpeg(TestImages.texture(1600, 1200, 9), 0.85f, false);
        Probe topLeftRed = new Probe(64, 48, 8, 8, RED);
        return List.of(
                decodes("jpeg-baseline.jpg", TestImages.jpeg(quadrants, 0.95f, false), "image/jpeg", topLeftRed),
                decodes("jpeg-progressive.jpg", TestImages.jpeg(quadrants, 0.95f, true), "image/jpeg", topLeftRed),
                decodes("jpeg-1600x1200-reduced.jpg", bigJpeg, "image/jpeg", new Probe(800, 600, 0, 0, -1)),
                decodes(
                        "jpeg-truncated-scan.jpg",
                        MalformedImages.head(bigJpeg, 0.6),
                        "image/jpeg",
                        new Probe(800, 600, 0, 0, -1)),
                decodes("jpeg-cmyk.jpg", TestImages.cmykJpeg(false), "image/jpeg", new Probe(64, 64, 8, 8, 0x00FFFF)),
                decodes("jpeg-ycck.jpg", TestImages.cmykJpeg(true), "image/jpeg", new Probe(64, 64, 8, 8, 0x00FFFF)),
                decodes(
                        "jpeg-exif-rotated-6.jpg",
                        TestImages.withExifOrientation(TestImages.jpeg(quadrants, 0.95f, false), 6),
                        "image/jpeg",
                        new Probe(48, 64, 8, 8, BLUE)),
                decodes(
                        "png-exif-rotated-8.png",
                        TestImages.pngWithExifOrientation(TestImages.encode(quadrants, "png"), 8),
                        "image/png",
                        new Probe(48, 64, 8, 8, 0x00FF00)),
                decodes(
                        "png-palette.png",
                        TestImages.encode(TestImages.quadrants(64, 48, BufferedImage.TYPE_BYTE_INDEXED), "png"),
                        "image/png",
                        topLeftRed),
                decodes(
                        "png-16bit-grey.png",
                        TestImages.encode(new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY), "png"),
                        "image/png",
                        new Probe(16, 16, 4, 4, 0)),
                decodes(
                        "png-transparent.png",
                        TestImages.encode(alpha, "png"),
                        "image/png",
                        new Probe(32, 32, 4, 4, 0xFFFFFF)),
                decodes(
                        "png-huge-zlib-stream.png",
                        MalformedImages.pngOfZeros(64, 64, 8, 2, 64L << 20),
                        "image/png",
                        new Probe(64, 64, 4, 4, 0)),
                decodes(
                        "gif-animated.gif",
                        TestImages.animatedGif(40, 30, Color.RED, Color.BLUE),
                        "image/gif",
                        new Probe(40, 30, 4, 4, RED)),
                decodes("image.bmp", TestImages.encode(quadrants, "bmp"), "image/bmp", topLeftRed),
                decodes("lossy.webp", TestImages.webp(quadrants, 90), "image/webp", topLeftRed),
                decodes("lossless.webp", TestImages.webp(quadrants, 101), "image/webp", topLeftRed),
                decodes("png-labelled-jpeg.png", TestImages.encode(quadrants, "png"), "image/jpeg", topLeftRed),
                decodes("jpeg-labelled-text.jpg", TestImages.jpeg(quadrants, 0.95f, false), "text/plain", topLeftRed),
                decodes("gif-labelled-png.gif", TestImages.encode(quadrants, "gif"), "image/png", topLeftRed));
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Writes every entry of at most {@code args[1]} bytes (default: all) into the directory {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args[0]));
        long maxBytes = args.length > 1 ? Long.parseLong(args[1]) : Long.MAX_VALUE;
        for (CorpusEntry entry : entries()) {
            if (entry.bytes().length <= maxBytes) {
                Files.write(dir.resolve(entry.name()), entry.bytes());
            }
        }
    }
}
