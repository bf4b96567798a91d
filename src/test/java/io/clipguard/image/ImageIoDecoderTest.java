package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageIoDecoderTest {

    private final ImageIoDecoder decoder = new ImageIoDecoder(1_000_000);

    @Test
    void decodesAPng() throws IOException {
        BufferedImage image = decoder.decode(resource("rgb_398x300.png"));

        assertEquals(398, image.getWidth());
        assertEquals(300, image.getHeight());
    }

    @Test
    void rejectsNoBytesAsEmpty() {
        assertReason(RejectReason.IMAGE_EMPTY, new byte[0]);
        assertReason(RejectReason.IMAGE_EMPTY, null);
    }

    @Test
    void rejectsUnknownBytesAsUnsupported() {
        assertReason(RejectReason.UNSUPPORTED_FORMAT, "not an image at all".getBytes());
    }

    @Test
    void rejectsAReadableFormatThatIsNotAccepted() throws IOException {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB), "tiff", tiff);

        assertReason(RejectReason.UNSUPPORTED_FORMAT, tiff.toByteArray());
    }

    @Test
    void rejectsByHeaderBeforeDecodingAnyPixel() {
        byte[] bomb = pngHeaderOnly(100_000, 100_000);

        ImageRejectedException e = assertReason(RejectReason.IMAGE_TOO_LARGE, bomb);
        assertEquals("image is 100000x100000 px, over the limit of 1000000 px", e.getMessage());
    }

    @Test
    void rejectsATruncatedImageAsUndecodable() throws IOException {
        byte[] png = resource("rgb_398x300.png");

        assertReason(RejectReason.IMAGE_UNDECODABLE, Arrays.copyOf(png, png.length / 3));
    }

    private ImageRejectedException assertReason(RejectReason reason, byte[] bytes) {
        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    /** A PNG signature and IHDR chunk only: dimensions without any pixel data. */
    private static byte[] pngHeaderOnly(int widthPx, int heightPx) {
        ByteBuffer ihdr = ByteBuffer.allocate(17)
                .put("IHDR".getBytes())
                .putInt(widthPx)
                .putInt(heightPx)
                .put(new byte[] {8, 2, 0, 0, 0});
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
                .putInt(13)
                .put(ihdr.array())
                .putInt((int) crc.getValue())
                .array();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageIoDecoderTest.class.getResourceAsStream("/image/" + name)) {
            return in.readAllBytes();
        }
    }
}
