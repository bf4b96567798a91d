package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every corpus entry is rejected with its reason, or decodes to the right size and colours, fast. */
class BadInputCorpusTest {

    private static final List<CorpusEntry> CORPUS = BadInputCorpus.entries();
    private final RoutingImageDecoder decoder = RoutingImageDecoder.forModelInput(DecodeLimits.DEFAULTS, 224);

    @TestFactory
    Stream<DynamicTest> eachEntryYieldsItsReasonOrItsImage() {
        return CORPUS.stream()
                .map(entry -> DynamicTest.dynamicTest(
                        entry.name(), () -> assertTimeoutPreemptively(Duration.ofSeconds(5), () -> check(entry))));
    }

    private void check(CorpusEntry entry) {
        if (entry.rejected() != null) {
            ImageRejectedException e = assertThrows(ImageRejectedException.class, () -> decoder.decode(entry.bytes()));
            assertEquals(entry.rejected(), e.reason(), e.getMessage());
            assertTrue(!e.getMessage().isBlank());
            return;
        }
        BufferedImage image = decoder.decode(entry.bytes());
        CorpusEntry.Probe probe = entry.decoded();
        assertEquals(probe.widthPx(), image.getWidth(), "width");
        assertEquals(probe.heightPx(), image.getHeight(), "height");
        if (probe.rgb() >= 0) {
            int actual = TestImages.rgb(image, probe.x(), probe.y());
            for (int shift = 0; shift <= 16; shift += 8) {
                assertTrue(
                        Math.abs((probe.rgb() >> shift & 0xFF) - (actual >> shift & 0xFF)) <= 12,
                        "expected " + Integer.toHexString(probe.rgb()) + ", got " + Integer.toHexString(actual));
            }
        }
    }
}
