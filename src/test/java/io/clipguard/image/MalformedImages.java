package io.clipguard.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Deflater;

/** Hand-built files with lying headers and broken structure, for the bad-input corpus. */
final class MalformedImages {

    private MalformedImages() {}

    /** A PNG with the given header and one IDAT chunk holding {@code rawBytes} zero bytes, deflated. */
    static byte[] pngOfZeros(int widthPx, int heightPx, int bitDepth, int colourType, long rawBytes) {
        byte[] ihdr = ByteBuffer.allocate(13)
                .putInt(widthPx)
                .putInt(heightPx)
                .put(new byte[] {(byte) bitDepth, (byte) colourType, 0, 0, 0})
                .array();
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        png.writeBytes(TestImages.pngChunk("IHDR", ihdr));
        png.writeBytes(TestImages.pngChunk("IDAT", deflatedZeros(rawBytes)));
        png.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
        return png.toByteArray();
    }

    private static byte[] deflatedZeros(long rawBytes) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[1 << 16];
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        for (long left = rawBytes; left > 0; left -= zeros.length) {
            deflater.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!deflater.needsInput()) {
                compressed.write(out, 0, deflater.deflate(out));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            compressed.write(out, 0, deflater.deflate(out));
        }
        deflater.end();
        return compressed.toByteArray();
    }

    /** A GIF whose screen and first image descriptor declare the size; one empty data block. */
    static byte[] gifHeader(int widthPx, int heightPx) {
        return ByteBuffer.allocate(6 + 7 + 10 + 3)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("GIF89a".getBytes())
                .putShort((short) widthPx)
                .putShort((short) heightPx)
                .put(new byte[] {0, 0, 0})
                .put((byte) 0x2C)
                .putShort((short) 0)
                .putShort((short) 0)
                .putShort((short) widthPx)
                .putShort((short) heightPx)
                .put((byte) 0)
                .put(new byte[] {2, 0, 0x3B})
                .array();
    }

    /** A 24-bit BMP header (file + BITMAPINFOHEADER) declaring the size, with no pixel data. */
    static byte[] bmpHeader(int widthPx, int heightPx) {
        return ByteBuffer.allocate(54)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("BM".getBytes())
                .putInt(54)
                .putInt(0)
                .putInt(54)
                .putInt(40)
                .putInt(widthPx)
                .putInt(heightPx)
                .putShort((short) 1)
                .putShort((short) 24)
                .putInt(0)
                .putInt(0)
                .putInt(2835)
                .putInt(2835)
                .putInt(0)
                .putInt(0)
                .array();
    }

    /** SOI, then a scan header with no frame header before it. */
    static byte[] jpegScanBeforeFrame() {
        return new byte[] {
            (byte) 0xFF,
            (byte) 0xD8,
            (byte) 0xFF,
            (byte) 0xDA,
            0,
            8,
            1,
            1,
            0,
            0,
            0x3F,
            0,
            0x12,
            0x34,
            (byte) 0xFF,
            (byte) 0xD9
        };
    }

    /**
     * A progressive JPEG whose last scan is repeated {@code copies} times before EOI: a few bytes a
     * scan, a pass over the whole image each for the decoder (a CPU bomb; libjpeg only warns).
     */
    static byte[] jpegScanBomb(byte[] progressive, int copies) {
        int lastScan = -1;
        for (int i = 2; i + 1 < progressive.length; i++) {
            if ((progressive[i] & 0xFF) == 0xFF && (progressive[i + 1] & 0xFF) == 0xDA) {
                lastScan = i;
            }
        }
        int end = progressive.length - 2; // EOI
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(progressive, 0, end);
        for (int c = 0; c < copies; c++) {
            out.write(progressive, lastScan, end - lastScan);
        }
        out.write(progressive, end, 2);
        return out.toByteArray();
    }

    /** The JPEG with its first segment's length pointing past the end of the file. */
    static byte[] jpegBadSegmentLength(byte[] jpeg) {
        byte[] bad = jpeg.clone();
        bad[4] = (byte) 0xFF;
        bad[5] = (byte) 0xF0;
        return bad;
    }

    /** The JPEG with its frame header's height set to 0 (a DNL marker that never comes). */
    static byte[] jpegZeroHeight(byte[] jpeg) {
        byte[] bad = jpeg.clone();
        for (int i = 2; i + 8 < bad.length; i++) {
            if ((bad[i] & 0xFF) == 0xFF && ((bad[i + 1] & 0xFF) == 0xC0 || (bad[i + 1] & 0xFF) == 0xC2)) {
                bad[i + 5] = 0;
                bad[i + 6] = 0;
                return bad;
            }
        }
        throw new IllegalArgumentException("no frame header");
    }

    /** A RIFF WEBP container whose VP8 chunk holds noise. */
    static byte[] webpGarbage() {
        byte[] noise = new byte[256];
        new java.util.Random(11).nextBytes(noise);
        return ByteBuffer.allocate(20 + noise.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes())
                .putInt(12 + noise.length)
                .put("WEBPVP8 ".getBytes())
                .putInt(noise.length)
                .put(noise)
                .array();
    }

    /**
     * An animated WebP with a 1 x 1 canvas whose first frame's lossless bitstream declares
     * 16384 x 16384 (then noise): the canvas check alone would let a 1 GiB frame through.
     */
    static byte[] webpAnimatedFrameBomb() {
        byte[] vp8l = ByteBuffer.allocate(8 + 5 + 64)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("VP8L".getBytes())
                .putInt(5 + 64)
                .put((byte) 0x2F)
                .putInt(0x3FFF | 0x3FFF << 14)
                .put(new byte[64])
                .array();
        ByteBuffer anmf = ByteBuffer.allocate(8 + 16 + vp8l.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("ANMF".getBytes())
                .putInt(16 + vp8l.length)
                .put(new byte[12])
                .put(new byte[] {100, 0, 0, 0})
                .put(vp8l);
        ByteBuffer head = ByteBuffer.allocate(12 + 18 + 14)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes())
                .putInt(4 + 18 + 14 + anmf.capacity())
                .put("WEBP".getBytes())
                .put("VP8X".getBytes())
                .putInt(10)
                .put((byte) 0x02)
                .put(new byte[3])
                .put(new byte[6])
                .put("ANIM".getBytes())
                .putInt(6)
                .put(new byte[6]);
        return TestImages.splice(head.array(), head.capacity(), anmf.array());
    }

    static byte[] withFirstByte(byte[] bytes, int first) {
        byte[] changed = bytes.clone();
        changed[0] = (byte) first;
        return changed;
    }

    static byte[] head(byte[] bytes, double fraction) {
        return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
    }
}
