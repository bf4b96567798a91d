package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class L2NormTest {

    @Test
    void scalesToUnitLength() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, L2Norm.normalized(new float[] {3, 4}), 1e-7f);
    }

    @Test
    void leavesAZeroVectorZero() {
        assertArrayEquals(new float[] {0, 0}, L2Norm.normalized(new float[] {0, 0}));
    }

    @Test
    void doesNotOverflowOnHugeComponents() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, L2Norm.normalized(new float[] {3e30f, 4e30f}), 1e-7f);
    }
}
