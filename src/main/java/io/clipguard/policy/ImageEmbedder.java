package io.clipguard.policy;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns image files (a label's exemplars) into L2-normalised image embeddings of the same model as the
 * text embeddings, one per file, in order. Throws {@link PolicyException} for a file that cannot be
 * decoded.
 */
@FunctionalInterface
public interface ImageEmbedder {

    /** For runtimes without an image encoder: refuses any exemplar. */
    ImageEmbedder NONE = files -> {
        throw new PolicyException("exemplar images " + files + " cannot be embedded here: no image encoder");
    };

    float[][] embed(List<Path> images);
}
