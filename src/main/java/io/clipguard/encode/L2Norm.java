package io.clipguard.encode;

/** Scales vectors to unit Euclidean length. */
final class L2Norm {

    private L2Norm() {}

    /** A unit-length copy of {@code v}; a zero vector stays zero. Accumulates in double. */
    static float[] normalized(float[] v) {
        double sumOfSquares = 0;
        for (float x : v) {
            sumOfSquares += (double) x * x;
        }
        double norm = Math.sqrt(sumOfSquares);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length && norm > 0; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
