package io.clipguard.image;

/**
 * Reads the EXIF orientation tag (0x0112, values 1 to 8) from a JPEG's APP1 segment, a PNG's
 * {@code eXIf} chunk or a WebP's {@code EXIF} chunk. Anything missing, malformed or out of range
 * reads as 1 (as stored): a broken EXIF block never rejects an image.
 */
final class ExifOrientation {

    private static final int ORIENTATION_TAG = 0x0112;

    private ExifOrientation() {}

    static int of(ImageFormat format, byte[] bytes) {
        try {
            return switch (format) {
                case JPEG -> ofJpeg(bytes, JpegHeader.parse(bytes));
                case PNG -> fromChunk(bytes, 8, "eXIf", false);
                case WEBP -> fromChunk(bytes, 12, "EXIF", true);
                default -> 1;
            };
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /** A JPEG's orientation from the header already parsed. */
    static int ofJpeg(byte[] jpeg, JpegHeader header) {
        try {
            return header.exifOffset() < 0 ? 1 : fromTiff(jpeg, header.exifOffset(), header.exifLength());
        } catch (RuntimeException e) {
            return 1;
        }
    }

    /**
     * Walks PNG chunks (length, type, data, CRC; big-endian) or RIFF chunks (type, length, data, pad;
     * little-endian) to the named one.
     */
    private static int fromChunk(byte[] bytes, int at, String type, boolean riff) {
        while (at + 8 <= bytes.length) {
            int length = riff ? le32(bytes, at + 4) : be32(bytes, at);
            int typeAt = riff ? at : at + 4;
            if (length < 0 || at + 8 + (long) length > bytes.length) {
                return 1;
            }
            if (ImageFormat.ascii(bytes, typeAt, type)) {
                int data = at + 8;
                boolean prefixed = ImageFormat.ascii(bytes, data, "Exif\0\0");
                return prefixed ? fromTiff(bytes, data + 6, length - 6) : fromTiff(bytes, data, length);
            }
            at += 8 + length + (riff ? length & 1 : 4);
        }
        return 1;
    }

    /** Looks up the tag in IFD0 of a TIFF block at {@code start}. */
    static int fromTiff(byte[] bytes, int start, int length) {
        int end = Math.min(bytes.length, start + length);
        boolean little = ImageFormat.ascii(bytes, start, "II");
        if (!little && !ImageFormat.ascii(bytes, start, "MM")) {
            return 1;
        }
        int ifd = start + u32(bytes, start + 4, little, end);
        int entries = u16(bytes, ifd, little, end);
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            if (u16(bytes, entry, little, end) == ORIENTATION_TAG) {
                int value = u16(bytes, entry + 8, little, end);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int u16(byte[] bytes, int at, boolean little, int end) {
        checkInside(at, 2, end);
        int a = bytes[at] & 0xFF;
        int b = bytes[at + 1] & 0xFF;
        return little ? b << 8 | a : a << 8 | b;
    }

    private static int u32(byte[] bytes, int at, boolean little, int end) {
        checkInside(at, 4, end);
        return little ? le32(bytes, at) : be32(bytes, at);
    }

    private static void checkInside(int at, int size, int end) {
        if (at < 0 || at + size > end) {
            throw new IndexOutOfBoundsException("EXIF offset " + at + " outside its block");
        }
    }

    private static int be32(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24
                | (bytes[at + 1] & 0xFF) << 16
                | (bytes[at + 2] & 0xFF) << 8
                | bytes[at + 3] & 0xFF;
    }

    private static int le32(byte[] bytes, int at) {
        return (bytes[at + 3] & 0xFF) << 24
                | (bytes[at + 2] & 0xFF) << 16
                | (bytes[at + 1] & 0xFF) << 8
                | bytes[at] & 0xFF;
    }
}
