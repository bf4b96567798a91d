package io.clipguard.model;

import java.util.Arrays;

/** Checks that the declared tensor names, types and shapes agree with the specs. */
final class ShapeCheck {

    private static final long ANY = -1;

    private final ManifestReader manifest;

    ShapeCheck(ManifestReader manifest) {
        this.manifest = manifest;
    }

    void verify(int embeddingDim, int imageSizePx, int contextLength) {
        tensor(
                "inputs.image",
                "float32",
                new long[] {ANY, 3, imageSizePx, imageSizePx},
                "image.size is " + imageSizePx);
        tensor("inputs.text", "int64", new long[] {ANY, contextLength}, "text.context_length is " + contextLength);
        tensor("outputs.image", "float32", new long[] {ANY, embeddingDim}, "embedding_dim is " + embeddingDim);
        tensor("outputs.text", "float32", new long[] {ANY, embeddingDim}, "embedding_dim is " + embeddingDim);
    }

    private void tensor(String key, String dtype, long[] expected, String because) {
        manifest.text(key + ".name");
        manifest.text(key + ".dtype", dtype);
        long[] shape = manifest.shape(key + ".shape");
        if (!Arrays.equals(shape, expected)) {
            throw manifest.invalid(
                    key + ".shape",
                    "is " + Arrays.toString(shape) + " but " + because,
                    "make them agree (expected " + Arrays.toString(expected) + ")");
        }
    }
}
