package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class JpegScansTest {

    private static final byte[] PROGRESSIVE =
            TestImages.jpeg(TestImages.texture(320, 240, 9), 0.9f, true); // noise: 0xFF bytes in the data

    @Test
    void countsTheScansEncodersWrite() {
        byte[] baseline = TestImages.jpeg(TestImages.texture(320, 240, 9), 0.9f, false);
        int progressiveScans = JpegScans.count(PROGRESSIVE, JpegScans.MAX_SCANS);

        assertEquals(1, JpegScans.count(baseline, JpegScans.MAX_SCANS));
        assertTrue(progressiveScans > 1 && progressiveScans <= 20, "the JDK's progressive script: " + progressiveScans);
        assertTrue(JpegHeader.parse(PROGRESSIVE).progressive());
        assertFalse(JpegHeader.parse(baseline).progressive());
    }

    @Test
    void countsRepeatedScansAndStopsPastTheLimit() {
        int scans = JpegScans.count(PROGRESSIVE, JpegScans.MAX_SCANS);

        assertEquals(scans + 50, JpegScans.count(MalformedImages.jpegScanBomb(PROGRESSIVE, 50), JpegScans.MAX_SCANS));
        assertEquals(
                JpegScans.MAX_SCANS + 1,
                JpegScans.count(MalformedImages.jpegScanBomb(PROGRESSIVE, 5_000), JpegScans.MAX_SCANS));
    }

    @Test
    void refusesAScanBombBeforeAnyDecoderSeesIt() {
        byte[] bomb = MalformedImages.jpegScanBomb(
                TestImages.jpeg(TestImages.quadrants(4000, 3000, BufferedImage.TYPE_3BYTE_BGR), 0.8f, true), 20_000);
        RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);
        long start = System.nanoTime();

        ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(bomb));

        assertEquals(RejectReason.IMAGE_UNDECODABLE, e.reason());
        assertTrue(e.getMessage().contains("more than 100 scans"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2_000, "refused from its markers, not decoded");
    }

    @Test
    void aProgressiveJpegWithinTheLimitStillDecodes() {
        BufferedImage image = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224)
                .decode(MalformedImages.jpegScanBomb(PROGRESSIVE, 20));
        assertEquals(320, image.getWidth());
    }
}
