package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OutcomeRecorderTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void endToEndLatencySaturatesInsteadOfOverflowing() {
        assertEquals(1500, OutcomeRecorder.endToEndMillis(NOW.minusMillis(1500), NOW));
        assertEquals(Long.MAX_VALUE, OutcomeRecorder.endToEndMillis(Instant.ofEpochMilli(Long.MIN_VALUE), NOW));
        assertEquals(
                NOW.toEpochMilli() - Long.MAX_VALUE,
                OutcomeRecorder.endToEndMillis(Instant.ofEpochMilli(Long.MAX_VALUE), NOW));
        assertEquals(
                Long.MIN_VALUE,
                OutcomeRecorder.endToEndMillis(Instant.ofEpochMilli(Long.MAX_VALUE), Instant.ofEpochMilli(-2)));
        // microseconds written where milliseconds belong: about 55,000 years ahead
        assertEquals(
                NOW.toEpochMilli() - 1_750_000_000_000_000L,
                OutcomeRecorder.endToEndMillis(Instant.ofEpochMilli(1_750_000_000_000_000L), NOW));
    }
}
