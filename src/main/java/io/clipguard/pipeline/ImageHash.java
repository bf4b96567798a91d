package io.clipguard.pipeline;

import io.clipguard.pdq.PdqHash;
import java.util.List;

/**
 * An upload image's PDQ hash as recorded on its result, and the hashes looked up in the banks: the
 * hash itself, or with dihedral matching its 8 rotations and flips.
 */
public record ImageHash(PdqHash hash, int quality, List<PdqHash> lookups) {

    public ImageHash {
        lookups = List.copyOf(lookups);
    }
}
