package io.clipguard.banks;

import io.clipguard.pdq.PdqHash;
import java.util.Map;

/**
 * One hash of a bank.
 *
 * @param id       unique within its bank (a list's own id, else the hash's hex), at most 256 characters
 * @param hash     the PDQ hash
 * @param quality  the hash's quality as the list gives it, or null when it does not
 * @param metadata whatever else the list carries per hash (a category, a case number), recorded on
 *                 every match; at most 16 keys, values of at most 256 characters (they are copied onto
 *                 every result that matches)
 */
public record BankEntry(String id, PdqHash hash, Integer quality, Map<String, String> metadata) {

    public BankEntry {
        id = Text.checked(id, "entry id", 256);
        if (hash == null) {
            throw new IllegalArgumentException("entry " + id + " has no hash");
        }
        if (quality != null && (quality < 0 || quality > 100)) {
            throw new IllegalArgumentException("entry " + id + ": quality is 0 to 100, got " + quality);
        }
        if (metadata.size() > 16) {
            throw new IllegalArgumentException("entry " + id + ": at most 16 metadata fields, got " + metadata.size());
        }
        metadata.forEach((key, value) -> {
            Text.checked(key, "metadata key", 64);
            Text.checked(value, "metadata value", 256);
        });
        metadata = Map.copyOf(metadata);
    }
}
