package io.clipguard.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells SVG and other text from binary junk, so that a refusal names what was sent: an SVG is an
 * XML document whose root is {@code <svg>}; text is mostly printable in its first kilobyte.
 */
final class TextSniffer {

    private static final int WINDOW_BYTES = 1024;

    private TextSniffer() {}

    static ImageFormat classify(byte[] bytes) {
        int length = Math.min(bytes.length, WINDOW_BYTES);
        if (length == 0 || !mostlyPrintable(bytes, length)) {
            return ImageFormat.UNKNOWN;
        }
        String head = new String(bytes, 0, length, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        return head.contains("<svg") ? ImageFormat.SVG : ImageFormat.TEXT;
    }

    private static boolean mostlyPrintable(byte[] bytes, int length) {
        int printable = 0;
        for (int i = 0; i < length; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b != 0x7F || b == '\n' || b == '\r' || b == '\t') {
                printable++;
            }
        }
        return printable >= 0.95 * length;
    }
}
