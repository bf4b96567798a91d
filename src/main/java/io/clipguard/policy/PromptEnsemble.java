package io.clipguard.policy;

/**
 * CLIP's prompt ensembling: the mean of unit-length prompt embeddings, re-normalised to unit length.
 * Averaging in embedding space costs nothing at inference time once cached.
 */
public final class PromptEnsemble {

    private PromptEnsemble() {}

    /** The re-normalised mean of {@code count} rows of {@code embeddings} starting at {@code from}. */
    public static float[] mean(float[][] embeddings, int from, int count) {
        float[] sum = new float[embeddings[from].length];
        for (int row = from; row < from + count; row++) {
            for (int i = 0; i < sum.length; i++) {
                sum[i] += embeddings[row][i];
            }
        }
        return normalise(sum);
    }

    /** Scales a vector to unit length in place and returns it; a zero vector stays zero. */
    public static float[] normalise(float[] vector) {
        double squares = 0;
        for (float value : vector) {
            squares += value * value;
        }
        double norm = Math.sqrt(squares);
        if (norm > 0) {
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) (vector[i] / norm);
            }
        }
        return vector;
    }
}
