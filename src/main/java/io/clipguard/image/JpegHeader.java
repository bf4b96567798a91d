package io.clipguard.image;

/**
 * What a JPEG's markers say before any entropy-coded data: frame size and component count from the
 * first SOF segment, and where the EXIF block (APP1 {@code Exif\0\0}) is, if any. Reads only the
 * marker segments up to the frame header; never decodes pixels.
 *
 * @param widthPx      frame width
 * @param heightPx     frame height (0 when the file defers it to a DNL marker)
 * @param components   1 (grey), 3 (YCbCr or RGB) or 4 (CMYK or YCCK)
 * @param exifOffset   start of the TIFF block inside the file, or -1
 * @param exifLength   length of the TIFF block, or 0
 * @param progressive  whether the frame is progressive (SOF2, SOF6, SOF10, SOF14): many scans
 */
record JpegHeader(int widthPx, int heightPx, int components, int exifOffset, int exifLength, boolean progressive) {

    private static final byte[] EXIF_ID = {'E', 'x', 'i', 'f', 0, 0};

    /** Parses the header; throws {@link ImageRejectedException} when no frame header is found. */
    static JpegHeader parse(byte[] jpeg) {
        int exifOffset = -1;
        int exifLength = 0;
        int at = 2;
        while (at + 4 <= jpeg.length) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                throw malformed("expected a marker at byte " + at);
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF || isStandalone(marker)) {
                at += marker == 0xFF ? 1 : 2; // fill byte, or a marker without a length
                continue;
            }
            int length = segmentLength(jpeg, at, marker);
            if (isFrameHeader(marker)) {
                return frame(jpeg, at + 4, length - 2, exifOffset, exifLength, (marker & 0x03) == 0x02);
            }
            if (marker == 0xDA || marker == 0xD9) {
                throw malformed("no frame header before the image data");
            }
            if (marker == 0xE1 && exifOffset < 0 && startsWithExif(jpeg, at + 4, length - 2)) {
                exifOffset = at + 4 + EXIF_ID.length;
                exifLength = length - 2 - EXIF_ID.length;
            }
            at += 2 + length;
        }
        throw malformed("no frame header");
    }

    private static int segmentLength(byte[] jpeg, int at, int marker) {
        int length = u16(jpeg, at + 2);
        if (length < 2 || at + 2 + length > jpeg.length) {
            throw malformed(
                    "segment 0x" + Integer.toHexString(marker) + " at byte " + at + " has a bad length " + length);
        }
        return length;
    }

    private static JpegHeader frame(
            byte[] jpeg, int at, int length, int exifOffset, int exifLength, boolean progressive) {
        if (length < 6) {
            throw malformed("frame header too short");
        }
        return new JpegHeader(
                u16(jpeg, at + 3), u16(jpeg, at + 1), jpeg[at + 5] & 0xFF, exifOffset, exifLength, progressive);
    }

    /** SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
    private static boolean isFrameHeader(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean startsWithExif(byte[] jpeg, int at, int length) {
        if (length <= EXIF_ID.length) {
            return false;
        }
        for (int i = 0; i < EXIF_ID.length; i++) {
            if (jpeg[at + i] != EXIF_ID[i]) {
                return false;
            }
        }
        return true;
    }

    /** TEM and RST0-RST7: markers without a length field. */
    static boolean isStandalone(int marker) {
        return marker == 0x01 || marker >= 0xD0 && marker <= 0xD7;
    }

    static int u16(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    private static ImageRejectedException malformed(String detail) {
        return new ImageRejectedException(RejectReason.IMAGE_UNDECODABLE, "malformed JPEG: " + detail);
    }
}
