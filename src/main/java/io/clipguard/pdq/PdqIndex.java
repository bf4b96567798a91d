package io.clipguard.pdq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every hash within a Hamming distance of a query among millions, by multi-index hashing
 * (Norouzi, Punjani and Fleet, 2012): the 256 bits are cut into 16 slots of 16 bits, and two hashes
 * within distance {@code d} agree within {@code floor(d / 16)} bits in at least one slot (otherwise
 * each of the 16 slots would differ in more, {@code 16 * (floor(d / 16) + 1) > d} bits in all). So a
 * search probes, in every slot, the buckets of the values within {@code floor(d / 16)} bits of the
 * query's (17 of them at the usual radius of 31), and checks each entry found against the whole hash.
 *
 * <p>Memory: per entry, its 4 words (32 bytes) and its id in each of the 16 slot tables (64 bytes),
 * about 100 bytes, so 10 million hashes take about 1 GB. Immutable and thread-safe once built; a bank
 * that changes is rebuilt, with the changes searched beside it meanwhile ({@link #scan}).
 */
public final class PdqIndex {

    private static final int SLOTS = 16;
    private static final int VALUES = 1 << 16;

    /** A hash found: its position in the indexed list and its distance from the query. */
    public record Found(int position, int distance) {}

    private final long[] words; // 4 per entry
    private final int size;
    /** Per slot, the start of each value's run in {@link #positions} (65,537 offsets). */
    private final int[][] starts;
    /** Per slot, the entries' positions grouped by their value in that slot. */
    private final int[][] positions;

    private PdqIndex(long[] words, int size, int[][] starts, int[][] positions) {
        this.words = words;
        this.size = size;
        this.starts = starts;
        this.positions = positions;
    }

    /** Indexes {@code hashes}; a hash's position in the list is what a search returns for it. */
    public static PdqIndex of(List<PdqHash> hashes) {
        long[] words = new long[4 * hashes.size()];
        for (int i = 0; i < hashes.size(); i++) {
            PdqHash hash = hashes.get(i);
            for (int w = 0; w < 4; w++) {
                words[4 * i + w] = hash.word(w);
            }
        }
        return ofWords(words, hashes.size());
    }

    /**
     * Indexes {@code size} hashes given as 4 words each ({@link PdqHash#word}), without copying
     * {@code words}: the caller must not change it afterwards.
     */
    public static PdqIndex ofWords(long[] words, int size) {
        if (words.length < 4L * size) {
            throw new IllegalArgumentException(size + " hashes need " + 4L * size + " words, got " + words.length);
        }
        int[][] starts = new int[SLOTS][];
        int[][] positions = new int[SLOTS][];
        for (int slot = 0; slot < SLOTS; slot++) {
            // a counting sort of the entries by their value in this slot
            int[] start = new int[VALUES + 1];
            for (int i = 0; i < size; i++) {
                start[slot(words, i, slot) + 1]++;
            }
            for (int v = 0; v < VALUES; v++) {
                start[v + 1] += start[v];
            }
            int[] next = Arrays.copyOf(start, VALUES);
            int[] position = new int[size];
            for (int i = 0; i < size; i++) {
                position[next[slot(words, i, slot)]++] = i;
            }
            starts[slot] = start;
            positions[slot] = position;
        }
        return new PdqIndex(words, size, starts, positions);
    }

    public int size() {
        return size;
    }

    /** The hash at {@code position}. */
    public PdqHash hash(int position) {
        int w = 4 * position;
        return PdqHash.ofWords(words[w], words[w + 1], words[w + 2], words[w + 3]);
    }

    /** Every indexed hash within {@code radius} bits of {@code query}, each once, nearest first. */
    public List<Found> search(PdqHash query, int radius) {
        checkRadius(radius);
        long q0 = query.word(0);
        long q1 = query.word(1);
        long q2 = query.word(2);
        long q3 = query.word(3);
        int flips = radius / SLOTS;
        List<Found> found = new ArrayList<>();
        int[] probes = new int[probeCount(flips)];
        for (int slot = 0; slot < SLOTS; slot++) {
            int value = query.slot(slot);
            int count = probes(value, flips, probes);
            int[] start = starts[slot];
            int[] position = positions[slot];
            for (int p = 0; p < count; p++) {
                int v = probes[p];
                for (int k = start[v]; k < start[v + 1]; k++) {
                    int i = position[k];
                    int d = distance(i, q0, q1, q2, q3);
                    if (d <= radius && firstSlotToFind(i, query, flips) == slot) {
                        found.add(new Found(i, d));
                    }
                }
            }
        }
        found.sort((a, b) -> a.distance() != b.distance()
                ? Integer.compare(a.distance(), b.distance())
                : Integer.compare(a.position(), b.position()));
        return found;
    }

    /** The same answer as {@link #search} by comparing the query with every hash: the cross-check. */
    public List<Found> scan(PdqHash query, int radius) {
        checkRadius(radius);
        List<Found> found = new ArrayList<>();
        long q0 = query.word(0);
        long q1 = query.word(1);
        long q2 = query.word(2);
        long q3 = query.word(3);
        for (int i = 0; i < size; i++) {
            int d = distance(i, q0, q1, q2, q3);
            if (d <= radius) {
                found.add(new Found(i, d));
            }
        }
        found.sort((a, b) -> a.distance() != b.distance()
                ? Integer.compare(a.distance(), b.distance())
                : Integer.compare(a.position(), b.position()));
        return found;
    }

    private int distance(int i, long q0, long q1, long q2, long q3) {
        int w = 4 * i;
        return Long.bitCount(words[w] ^ q0)
                + Long.bitCount(words[w + 1] ^ q1)
                + Long.bitCount(words[w + 2] ^ q2)
                + Long.bitCount(words[w + 3] ^ q3);
    }

    /**
     * The first slot in which entry {@code i} is within {@code flips} bits of the query: the one
     * search counts it in, so that an entry found through several slots is reported once.
     */
    private int firstSlotToFind(int i, PdqHash query, int flips) {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (Integer.bitCount(slot(words, i, slot) ^ query.slot(slot)) <= flips) {
                return slot;
            }
        }
        return -1;
    }

    private static int slot(long[] words, int i, int slot) {
        return (int) (words[4 * i + (slot >>> 2)] >>> ((slot & 3) << 4)) & 0xFFFF;
    }

    /** How many 16-bit values lie within {@code flips} bits of one: sum of C(16, k) for k up to flips. */
    private static int probeCount(int flips) {
        int count = 0;
        long choose = 1;
        for (int k = 0; k <= flips; k++) {
            count += (int) choose;
            choose = choose * (16 - k) / (k + 1);
        }
        return count;
    }

    /** Fills {@code out} with every 16-bit value within {@code flips} bits of {@code value}; returns how many. */
    private static int probes(int value, int flips, int[] out) {
        int count = 0;
        for (int v = 0; v < VALUES && flips >= 2; v++) {
            if (Integer.bitCount(v ^ value) <= flips) {
                out[count++] = v;
            }
        }
        if (flips < 2) {
            out[count++] = value;
            for (int bit = 0; bit < 16 && flips == 1; bit++) {
                out[count++] = value ^ (1 << bit);
            }
        }
        return count;
    }

    private static void checkRadius(int radius) {
        if (radius < 0 || radius > 255) {
            throw new IllegalArgumentException("a match radius is 0 to 255 bits, got " + radius);
        }
    }
}
