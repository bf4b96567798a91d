package io.clipguard.image;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The first frame of an animated WebP as a still WebP file (libwebp's still-image API, which
 * OpenCV uses, refuses animations), with where it sits on the canvas. Reads the RIFF chunks only.
 *
 * @param still     a still WebP holding the frame's bitstream (and its alpha chunk, if any)
 * @param xPx       the frame's left edge on the canvas
 * @param yPx       the frame's top edge on the canvas
 */
record WebpFirstFrame(byte[] still, int xPx, int yPx) {

    /** Finds the first {@code ANMF} chunk; throws {@link ImageRejectedException} when there is none. */
    static WebpFirstFrame of(byte[] webp) {
        int at = 12;
        while (at + 8 <= webp.length) {
            int length = le32(webp, at + 4);
            if (length < 0 || at + 8L + length > webp.length) {
                break;
            }
            if (ImageFormat.ascii(webp, at, "ANMF") && length >= 16) {
                int data = at + 8;
                int x = 2 * u24(webp, data);
                int y = 2 * u24(webp, data + 3);
                byte[] frameChunks = Arrays.copyOfRange(webp, data + 16, data + length);
                return new WebpFirstFrame(still(frameChunks, u24(webp, data + 6) + 1, u24(webp, data + 9) + 1), x, y);
            }
            at += 8 + length + (length & 1);
        }
        throw new ImageRejectedException(RejectReason.IMAGE_UNDECODABLE, "malformed WebP: animation without frames");
    }

    /** RIFF around the frame's chunks; with an extended header when it carries an alpha chunk. */
    private static byte[] still(byte[] frameChunks, int widthPx, int heightPx) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("WEBP".getBytes());
        if (ImageFormat.ascii(frameChunks, 0, "ALPH")) {
            body.writeBytes(ByteBuffer.allocate(18)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .put("VP8X".getBytes())
                    .putInt(10)
                    .put((byte) 0x10)
                    .put(new byte[3])
                    .put(u24Bytes(widthPx - 1))
                    .put(u24Bytes(heightPx - 1))
                    .array());
        }
        body.writeBytes(frameChunks);
        byte[] content = body.toByteArray();
        return ByteBuffer.allocate(8 + content.length)
                .order(ByteOrder.LITTLE_ENDIAN)
                .put("RIFF".getBytes())
                .putInt(content.length)
                .put(content)
                .array();
    }

    private static int u24(byte[] bytes, int at) {
        return bytes[at] & 0xFF | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16;
    }

    private static byte[] u24Bytes(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16)};
    }

    private static int le32(byte[] bytes, int at) {
        return u24(bytes, at) | (bytes[at + 3] & 0xFF) << 24;
    }
}
