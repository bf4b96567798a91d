package io.clipguard.banks;

import java.util.Map;

/**
 * An upload's hash within the match radius of a bank entry.
 *
 * @param bank         the bank's name
 * @param action       the bank's action
 * @param queue        the bank's review queue
 * @param bankVersion  the bank's version when it matched
 * @param entryId      the entry
 * @param distance     Hamming distance between the upload's hash (or one of its rotations and flips,
 *                     with dihedral matching) and the entry's, 0-256
 * @param entryQuality the entry's quality as its list gave it, or null
 * @param metadata     the entry's metadata
 */
public record BankMatch(
        String bank,
        BankAction action,
        String queue,
        String bankVersion,
        String entryId,
        int distance,
        Integer entryQuality,
        Map<String, String> metadata) {}
