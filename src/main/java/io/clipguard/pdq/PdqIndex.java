package io.clipguard.pdq;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds every hash within a Hamming distance of a query among millions, by multi-index hashing
 * (Norouzi, Punjani and Fleet, 2012): the 256 bits are cut into {@code m} slots of {@code b} bits,
 * and two hashes within distance {@code d} agree within {@code floor(d / m)} bits in at least one slot
 * (were every slot to differ in more, they would differ in more than {@code d} bits in all). So a
 * search probes, in every slot, the buckets of the values within {@code floor(d / m)} bits of the
 * query's, and checks each entry found against the whole hash. The slots are as wide as the bank is
 * large ({@code b} about {@code log2(size)}, 16 to 23 bits, {@code m = floor(256 / b)}, as the paper
 * advises), so that a bucket holds about one entry: 16 slots of 16 bits for a bank of 65,536 or fewer,
 * 11 slots of 23 bits for 10 million. Each entry found is then one cache miss, and a search at radius
 * 31 touches a few thousand.
 *
 * <p>Memory: per entry, its 4 words (32 bytes) and its position in each slot table (4 bytes each),
 * plus each slot's bucket offsets ({@code 4 * 2^b} bytes): about 1.1 GB for 10 million hashes.
 * Immutable and thread-safe once built.
 */
public final class PdqIndex {

    private static final int MIN_SLOT_BITS = 16;
    /** 23 bits make 11 slots, so that at the usual radius of 31 a slot is probed within 2 bits (277 values). */
    private static final int MAX_SLOT_BITS = 23;

    /** A hash found: its position in the indexed list and its distance from the query. */
    public record Found(int position, int distance) {}

    private final long[] words; // 4 per entry
    private final int size;
    private final int slotBits;
    private final int slots;
    /** Per slot, the start of each value's run in {@link #positions} ({@code 2^b + 1} offsets). */
    private final int[][] starts;
    /** Per slot, the entries' positions grouped by their value in that slot. */
    private final int[][] positions;

    private PdqIndex(long[] words, int size, int slotBits, int[][] starts, int[][] positions) {
        this.words = words;
        this.size = size;
        this.slotBits = slotBits;
        this.slots = starts.length;
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
        return ofWords(words, size, slotBitsFor(size));
    }

    /** With slots of {@code slotBits} bits whatever the size: for tests of every width. */
    static PdqIndex ofWords(long[] words, int size, int slotBits) {
        if (words.length < 4L * size) {
            throw new IllegalArgumentException(size + " hashes need " + 4L * size + " words, got " + words.length);
        }
        if (slotBits < 1 || slotBits > MAX_SLOT_BITS) {
            throw new IllegalArgumentException("slots of 1 to " + MAX_SLOT_BITS + " bits, got " + slotBits);
        }
        int slots = 256 / slotBits;
        int values = 1 << slotBits;
        int[][] starts = new int[slots][];
        int[][] positions = new int[slots][];
        for (int slot = 0; slot < slots; slot++) {
            // a counting sort of the entries by their value in this slot
            int[] start = new int[values + 1];
            for (int i = 0; i < size; i++) {
                start[slotValue(words, 4 * i, slot, slotBits) + 1]++;
            }
            for (int v = 0; v < values; v++) {
                start[v + 1] += start[v];
            }
            int[] next = Arrays.copyOf(start, values);
            int[] position = new int[size];
            for (int i = 0; i < size; i++) {
                position[next[slotValue(words, 4 * i, slot, slotBits)]++] = i;
            }
            starts[slot] = start;
            positions[slot] = position;
        }
        return new PdqIndex(words, size, slotBits, starts, positions);
    }

    /** {@code log2(size)} rounded, so that a bucket holds about one entry; 16 to 23. */
    static int slotBitsFor(int size) {
        int bits = (int) Math.round(Math.log(Math.max(1, size)) / Math.log(2));
        return Math.max(MIN_SLOT_BITS, Math.min(MAX_SLOT_BITS, bits));
    }

    public int size() {
        return size;
    }

    /** How many slots of how many bits this index cuts the hashes into, for reports. */
    public String layout() {
        return slots + " slots of " + slotBits + " bits";
    }

    /** The hash at {@code position}. */
    public PdqHash hash(int position) {
        int w = 4 * position;
        return PdqHash.ofWords(words[w], words[w + 1], words[w + 2], words[w + 3]);
    }

    /** Every indexed hash within {@code radius} bits of {@code query}, each once, nearest first. */
    public List<Found> search(PdqHash query, int radius) {
        checkRadius(radius);
        long[] q = {query.word(0), query.word(1), query.word(2), query.word(3)};
        int flips = radius / slots;
        int[] masks = Masks.within(slotBits, flips);
        List<Found> found = new ArrayList<>();
        int[] runs = new int[2 * masks.length];
        int[] candidates = new int[64];
        for (int slot = 0; slot < slots; slot++) {
            // in passes of independent loads, so that the memory system works on many at once: the
            // buckets' bounds, then the entries' positions, then their hashes
            int value = slotValue(q, 0, slot, slotBits);
            int[] start = starts[slot];
            for (int m = 0; m < masks.length; m++) {
                int v = value ^ masks[m];
                runs[2 * m] = start[v];
                runs[2 * m + 1] = start[v + 1];
            }
            int[] position = positions[slot];
            int count = 0;
            for (int m = 0; m < masks.length; m++) {
                for (int k = runs[2 * m], end = runs[2 * m + 1]; k < end; k++) {
                    if (count == candidates.length) {
                        candidates = Arrays.copyOf(candidates, 2 * count);
                    }
                    candidates[count++] = position[k];
                }
            }
            for (int c = 0; c < count; c++) {
                int i = candidates[c];
                int d = distance(i, q);
                if (d <= radius && firstSlotWithin(i, q, flips) == slot) {
                    found.add(new Found(i, d));
                }
            }
        }
        found.sort(NEAREST_FIRST);
        return found;
    }

    /** The same answer as {@link #search} by comparing the query with every hash: the cross-check. */
    public List<Found> scan(PdqHash query, int radius) {
        checkRadius(radius);
        long[] q = {query.word(0), query.word(1), query.word(2), query.word(3)};
        List<Found> found = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int d = distance(i, q);
            if (d <= radius) {
                found.add(new Found(i, d));
            }
        }
        found.sort(NEAREST_FIRST);
        return found;
    }

    private static final java.util.Comparator<Found> NEAREST_FIRST =
            java.util.Comparator.comparingInt(Found::distance).thenComparingInt(Found::position);

    private int distance(int i, long[] q) {
        int w = 4 * i;
        return Long.bitCount(words[w] ^ q[0])
                + Long.bitCount(words[w + 1] ^ q[1])
                + Long.bitCount(words[w + 2] ^ q[2])
                + Long.bitCount(words[w + 3] ^ q[3]);
    }

    /**
     * The first slot in which entry {@code i} is within {@code flips} bits of the query: the one a
     * search counts it in, so that an entry reached through several slots is reported once.
     */
    private int firstSlotWithin(int i, long[] q, int flips) {
        for (int slot = 0; slot < slots; slot++) {
            int differ = slotValue(words, 4 * i, slot, slotBits) ^ slotValue(q, 0, slot, slotBits);
            if (Integer.bitCount(differ) <= flips) {
                return slot;
            }
        }
        return -1;
    }

    /** Bits {@code slot * bits} to {@code slot * bits + bits - 1} of the hash whose words start at {@code at}. */
    private static int slotValue(long[] words, int at, int slot, int bits) {
        int offset = slot * bits;
        int w = offset >>> 6;
        int shift = offset & 63;
        long value = words[at + w] >>> shift;
        if (shift + bits > 64) {
            value |= words[at + w + 1] << (64 - shift);
        }
        return (int) (value & ((1L << bits) - 1));
    }

    private static void checkRadius(int radius) {
        if (radius < 0 || radius > 255) {
            throw new IllegalArgumentException("a match radius is 0 to 255 bits, got " + radius);
        }
    }

    /** The XOR masks of {@code bits} bits with at most {@code flips} bits set, computed once per pair. */
    private static final class Masks {
        private static final java.util.Map<Integer, int[]> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

        static int[] within(int bits, int flips) {
            return CACHE.computeIfAbsent(
                    bits * 1000 + Math.min(flips, bits), key -> masks(bits, Math.min(flips, bits)));
        }

        private static int[] masks(int bits, int flips) {
            List<Integer> out = new ArrayList<>();
            add(out, 0, 0, bits, flips);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }

        /** Every mask that sets at most {@code left} more bits, at positions from {@code from} on. */
        private static void add(List<Integer> out, int mask, int from, int bits, int left) {
            out.add(mask);
            if (left == 0) {
                return;
            }
            for (int bit = from; bit < bits; bit++) {
                add(out, mask | 1 << bit, bit + 1, bits, left - 1);
            }
        }
    }
}
