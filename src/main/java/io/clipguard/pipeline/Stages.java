package io.clipguard.pipeline;

import io.clipguard.avro.UploadedImage;
import io.clipguard.banks.BankMatch;
import java.awt.image.BufferedImage;
import java.util.List;

/** The stages an upload passes through, as seams: production wires the real ones, unit tests fakes. */
public final class Stages {

    private Stages() {}

    /** Gets the encoded image of an upload: inline bytes, or fetched from its URI. */
    @FunctionalInterface
    public interface ImageSource {
        byte[] bytes(UploadedImage upload) throws RejectedUploadException;
    }

    /**
     * Decodes untrusted bytes into an RGB image. The image may be backed by a buffer the calling
     * thread reuses: pre-process it before this thread decodes again.
     */
    @FunctionalInterface
    public interface Decoder {
        BufferedImage decode(byte[] bytes) throws RejectedUploadException;
    }

    /** Turns a decoded image into the model's input tensor (CHW floats). */
    @FunctionalInterface
    public interface Preprocessor {
        float[] pixels(BufferedImage image);
    }

    /** Computes the decoded image's PDQ hash, from the same pixels the pre-processor reads. */
    @FunctionalInterface
    public interface Hasher {
        /** No hash: for tests of other stages. */
        Hasher NONE = image -> null;

        ImageHash hash(BufferedImage image);
    }

    /** Looks an image's hash up in the banks of known content. */
    @FunctionalInterface
    public interface Banks {
        /** No banks. */
        Banks NONE = hash -> List.of();

        List<BankMatch> match(ImageHash hash);
    }

    /** Encodes a batch of pre-processed images into unit-length embeddings, one per input, in order. */
    @FunctionalInterface
    public interface Embedder {
        float[][] embed(List<float[]> pixelBatch);
    }
}
