package io.clipguard.pdq;

import java.util.HexFormat;
import java.util.Locale;

/**
 * A 256-bit PDQ hash, in the reference implementation's bit order: bit {@code 16 * i + j} is set when
 * DCT coefficient (i, j) of the 16 x 16 block is above the median; as hex (64 digits), the first digit
 * holds the highest bits (row 15 first), as the reference and the hash lists exchanged between
 * platforms write it. Immutable.
 */
public final class PdqHash {

    /** Bits 0-63 in {@code words[0]}, ..., bits 192-255 in {@code words[3]}. */
    private final long[] words;

    private PdqHash(long[] words) {
        this.words = words;
    }

    /** The hash whose bit {@code k} is {@code bits[k]}. */
    static PdqHash ofBits(boolean[] bits) {
        if (bits.length != 256) {
            throw new IllegalArgumentException("a PDQ hash has 256 bits, got " + bits.length);
        }
        long[] words = new long[4];
        for (int k = 0; k < 256; k++) {
            if (bits[k]) {
                words[k >>> 6] |= 1L << (k & 63);
            }
        }
        return new PdqHash(words);
    }

    /** Parses 64 hex digits (either case); anything else is refused with the reason. */
    public static PdqHash parse(String hex) {
        String digits = hex.strip();
        if (digits.length() != 64) {
            throw new IllegalArgumentException("a PDQ hash is 64 hex digits, got " + digits.length() + " characters");
        }
        long[] words = new long[4];
        try {
            for (int w = 0; w < 4; w++) {
                // word 3 (bits 192-255) is written first
                words[3 - w] = HexFormat.fromHexDigitsToLong(digits, 16 * w, 16 * w + 16);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a PDQ hash is 64 hex digits: " + e.getMessage(), e);
        }
        return new PdqHash(words);
    }

    /** The 64 lowercase hex digits. */
    public String hex() {
        StringBuilder out = new StringBuilder(64);
        for (int w = 3; w >= 0; w--) {
            out.append(String.format(Locale.ROOT, "%016x", words[w]));
        }
        return out.toString();
    }

    public boolean bit(int k) {
        return (words[k >>> 6] >>> (k & 63) & 1) != 0;
    }

    /** The number of bits in which the two hashes differ, 0-256. */
    public int distance(PdqHash other) {
        return Long.bitCount(words[0] ^ other.words[0])
                + Long.bitCount(words[1] ^ other.words[1])
                + Long.bitCount(words[2] ^ other.words[2])
                + Long.bitCount(words[3] ^ other.words[3]);
    }

    /** Word {@code w} (0-3) of the hash, bits {@code 64 w} to {@code 64 w + 63}. */
    public long word(int w) {
        return words[w];
    }

    /** Slot {@code s} (0-15) of 16 bits, bits {@code 16 s} to {@code 16 s + 15}: a row of the DCT block. */
    public int slot(int s) {
        return (int) (words[s >>> 2] >>> ((s & 3) << 4)) & 0xFFFF;
    }

    /** A hash from its four words. */
    public static PdqHash ofWords(long w0, long w1, long w2, long w3) {
        return new PdqHash(new long[] {w0, w1, w2, w3});
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PdqHash other && java.util.Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(words);
    }

    @Override
    public String toString() {
        return hex();
    }
}
