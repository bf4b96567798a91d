package io.clipguard.score;

import java.util.List;

/** Vector arithmetic for zero-shot scoring: cosine similarities and a scaled softmax. */
public final class Similarity {

    private Similarity() {}

    /** Dot products of a unit vector with each unit vector in {@code others}: their cosines. */
    public static double[] cosines(float[] unit, List<float[]> others) {
        double[] cosines = new double[others.size()];
        for (int row = 0; row < cosines.length; row++) {
            float[] other = others.get(row);
            if (other.length != unit.length) {
                throw new IllegalArgumentException(
                        "embedding dimension " + unit.length + " does not match " + other.length);
            }
            double dot = 0;
            for (int i = 0; i < unit.length; i++) {
                dot += unit[i] * other[i];
            }
            cosines[row] = dot;
        }
        return cosines;
    }

    /** softmax(scale * x), computed stably. */
    public static double[] softmax(double[] values, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (double value : values) {
            max = Math.max(max, value * scale);
        }
        double[] out = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.exp(values[i] * scale - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
