package io.clipguard.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class InputClassTest {

    /** SOI, an APP0 segment, then a frame header of the given kind and size. */
    private static byte[] jpeg(int sofMarker, int width, int height) {
        return new byte[] {
            (byte) 0xFF,
            (byte) 0xD8,
            (byte) 0xFF,
            (byte) 0xE0,
            0,
            4,
            0,
            0,
            (byte) 0xFF,
            (byte) sofMarker,
            0,
            11,
            8,
            (byte) (height >> 8),
            (byte) height,
            (byte) (width >> 8),
            (byte) width,
            3,
            0,
            0,
            0
        };
    }

    @Test
    void classifiesByFrameKindAndPixelCount() {
        assertEquals(InputClass.SMALL, InputClass.of(jpeg(0xC0, 640, 480), 0));
        assertEquals(InputClass.BASELINE_2_4_MP, InputClass.of(jpeg(0xC0, 1920, 1200), 0));
        assertEquals(InputClass.PROGRESSIVE, InputClass.of(jpeg(0xC2, 1920, 1200), 0));
        assertEquals(InputClass.LARGE, InputClass.of(jpeg(0xC2, 4000, 3000), 0));
        assertEquals(InputClass.OTHER, InputClass.of(jpeg(0xC0, 1600, 1000), 0));
    }

    @Test
    void nonJpegIsClassifiedByItsDecodedPixels() {
        assertEquals(InputClass.SMALL, InputClass.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 200 * 200));
        assertEquals(InputClass.OTHER, InputClass.of(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, 2_000_000));
    }
}
