package io.clipguard.image;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * What an upload's bytes are, told by their magic bytes alone (never by a file name or a declared
 * content type, which the uploader controls). Accepted formats are decoded; the others are named
 * only so that a refusal can say what was refused.
 */
enum ImageFormat {
    JPEG(true),
    PNG(true),
    GIF(true),
    BMP(true),
    WEBP(true),
    TIFF(false),
    HEIC(false),
    AVIF(false),
    JPEG_XL(false),
    JPEG_2000(false),
    SVG(false),
    PDF(false),
    TEXT(false),
    UNKNOWN(false);

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final boolean accepted;

    ImageFormat(boolean accepted) {
        this.accepted = accepted;
    }

    boolean accepted() {
        return accepted;
    }

    /** Lower-case name for messages: {@code jpeg}, {@code heic}, {@code text}. */
    String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The format the bytes start with; {@link #UNKNOWN} when none matches. */
    static ImageFormat sniff(byte[] bytes) {
        if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0xD8, (byte) 0xFF)) {
            return JPEG;
        }
        if (startsWith(bytes, 0, PNG_MAGIC)) {
            return PNG;
        }
        if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) {
            return GIF;
        }
        if (ascii(bytes, 0, "BM") && bytes.length >= 26) {
            return BMP;
        }
        if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) {
            return WEBP;
        }
        return refused(bytes);
    }

    private static ImageFormat refused(byte[] bytes) {
        if (ascii(bytes, 0, "II*\0") || ascii(bytes, 0, "MM\0*")) {
            return TIFF;
        }
        if (ascii(bytes, 4, "ftyp")) {
            return isoBrand(bytes);
        }
        if (startsWith(bytes, 0, (byte) 0xFF, (byte) 0x0A) || ascii(bytes, 4, "JXL ")) {
            return JPEG_XL;
        }
        if (ascii(bytes, 4, "jP  ") || startsWith(bytes, 0, (byte) 0xFF, (byte) 0x4F, (byte) 0xFF)) {
            return JPEG_2000;
        }
        if (ascii(bytes, 0, "%PDF-")) {
            return PDF;
        }
        return TextSniffer.classify(bytes);
    }

    /** HEIF and AVIF are ISO base media files: an {@code ftyp} box whose brands name the codec. */
    private static ImageFormat isoBrand(byte[] bytes) {
        String head = new String(bytes, 8, Math.min(bytes.length, 64) - 8, StandardCharsets.ISO_8859_1);
        if (head.contains("avif") || head.contains("avis")) {
            return AVIF;
        }
        if (head.contains("hei") || head.contains("mif1") || head.contains("msf1") || head.contains("hev")) {
            return HEIC;
        }
        return UNKNOWN;
    }

    static boolean ascii(byte[] bytes, int at, String magic) {
        return startsWith(bytes, at, magic.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean startsWith(byte[] bytes, int at, byte... magic) {
        return bytes.length >= at + magic.length && Arrays.equals(bytes, at, at + magic.length, magic, 0, magic.length);
    }
}
