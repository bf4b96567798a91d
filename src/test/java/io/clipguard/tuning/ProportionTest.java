package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Wilson intervals and Newcombe's difference interval against the published worked examples. */
class ProportionTest {

    @Test
    void wilsonIntervalsMatchNewcombesTable() {
        // Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3 (Wilson score)
        Proportion a = Proportion.wilson(81, 263, 1.96);
        assertEquals(0.2553, a.low(), 1e-4);
        assertEquals(0.3662, a.high(), 1e-4);
        Proportion b = Proportion.wilson(15, 148, 1.96);
        assertEquals(0.0624, b.low(), 1e-4);
        assertEquals(0.1605, b.high(), 1e-4);
        Proportion none = Proportion.wilson(0, 20, 1.96);
        assertEquals(0, none.low(), 1e-12);
        assertEquals(0.1611, none.high(), 1e-4);
    }

    @Test
    void differenceIntervalMatchesNewcombesMethodTen() {
        // Newcombe (1998), Statistics in Medicine 17:873-890, table II, example (a): 56/70 - 48/80
        Proportion.Difference d = Proportion.wilson(56, 70, 1.96).minus(Proportion.wilson(48, 80, 1.96));
        assertEquals(0.2, d.value(), 1e-12);
        assertEquals(0.0524, d.low(), 1e-4);
        assertEquals(0.3339, d.high(), 1e-4);
        assertTrue(d.excludesZero());
        // example (c): 5/56 - 0/29 still includes zero at the low end
        Proportion.Difference small = Proportion.wilson(5, 56, 1.96).minus(Proportion.wilson(0, 29, 1.96));
        assertEquals(-0.0381, small.low(), 1e-4);
        assertEquals(0.1926, small.high(), 1e-4);
        assertFalse(small.excludesZero());
    }

    @Test
    void nothingMeasuredIsUndefinedAndImpossibleCountsAreRefused() {
        Proportion none = Proportion.wilson(0, 0, 1.96);
        assertFalse(none.defined());
        assertTrue(Double.isNaN(none.value()));
        assertThrows(IllegalArgumentException.class, () -> Proportion.wilson(3, 2, 1.96));
        assertThrows(IllegalArgumentException.class, () -> Proportion.wilson(-1, 2, 1.96));
    }
}
