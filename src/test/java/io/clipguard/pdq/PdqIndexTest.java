package io.clipguard.pdq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multi-index search against a brute-force scan, on the reference's hash lists and on planted neighbours. */
class PdqIndexTest {

    @Test
    void findsWhatABruteForceScanFindsOnTheReferenceHashLists() throws IOException {
        List<PdqHash> haystack = read("haystack.txt");
        List<PdqHash> needles = read("needles.txt");
        assertEquals(1350, haystack.size());
        assertEquals(100, needles.size());
        PdqIndex index = PdqIndex.of(haystack);
        int[] matchesAt = new int[64];
        for (int radius : new int[] {0, 10, 15, 16, 31, 32, 47, 63}) {
            int total = 0;
            for (PdqHash needle : needles) {
                List<PdqIndex.Found> found = index.search(needle, radius);
                assertEquals(index.scan(needle, radius), found, "radius " + radius + ", needle " + needle);
                total += found.size();
            }
            matchesAt[radius] = total;
        }
        assertTrue(matchesAt[31] > 0, "the needles were chosen to have neighbours");
        assertTrue(matchesAt[63] >= matchesAt[31] && matchesAt[31] >= matchesAt[0]);
    }

    @Test
    void findsPlantedNeighboursAtEveryDistanceUpToTheRadiusAmongRandomHashes() {
        Random random = new Random(42);
        List<PdqHash> hashes = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            hashes.add(PdqHash.ofWords(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong()));
        }
        PdqHash query = hashes.get(0);
        List<Integer> planted = new ArrayList<>();
        for (int d = 1; d <= 40; d++) {
            planted.add(hashes.size());
            hashes.add(flip(query, d, random));
        }
        PdqIndex index = PdqIndex.of(hashes);
        List<PdqIndex.Found> found = index.search(query, 31);
        assertEquals(index.scan(query, 31), found);
        assertEquals(32, found.size(), "itself and the neighbours at 1..31, not those at 32..40");
        assertEquals(new PdqIndex.Found(0, 0), found.get(0));
        for (int d = 1; d <= 31; d++) {
            assertEquals(new PdqIndex.Found(planted.get(d - 1), d), found.get(d));
        }
        assertEquals(query, index.hash(0));
    }

    /** Wider slots, as for banks of millions: slots that straddle the hash's 64-bit words. */
    @Test
    void everySlotWidthFindsWhatTheScanFinds() throws IOException {
        List<PdqHash> haystack = read("haystack.txt");
        long[] words = new long[4 * haystack.size()];
        for (int i = 0; i < haystack.size(); i++) {
            for (int w = 0; w < 4; w++) {
                words[4 * i + w] = haystack.get(i).word(w);
            }
        }
        for (int bits : new int[] {8, 17, 20, 22, 23}) {
            PdqIndex index = PdqIndex.ofWords(words, haystack.size(), bits);
            for (PdqHash needle : read("needles.txt")) {
                for (int radius : new int[] {0, 31, 40}) {
                    assertEquals(
                            index.scan(needle, radius), index.search(needle, radius), bits + " bits, radius " + radius);
                }
            }
        }
        assertEquals(16, PdqIndex.slotBitsFor(1350));
        assertEquals(16, PdqIndex.slotBitsFor(65_536));
        assertEquals(20, PdqIndex.slotBitsFor(1_000_000));
        assertEquals(23, PdqIndex.slotBitsFor(10_000_000));
        assertEquals(23, PdqIndex.slotBitsFor(Integer.MAX_VALUE));
    }

    @Test
    void anEmptyIndexFindsNothingAndABadRadiusIsRefused() {
        PdqIndex empty = PdqIndex.of(List.of());
        assertTrue(empty.search(PdqHash.ofWords(0, 0, 0, 0), 31).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> empty.search(PdqHash.ofWords(0, 0, 0, 0), -1));
        assertThrows(IllegalArgumentException.class, () -> empty.search(PdqHash.ofWords(0, 0, 0, 0), 256));
    }

    /** {@code hash} with {@code bits} distinct bits flipped. */
    static PdqHash flip(PdqHash hash, int bits, Random random) {
        long[] w = {hash.word(0), hash.word(1), hash.word(2), hash.word(3)};
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < 256; k++) {
            order.add(k);
        }
        java.util.Collections.shuffle(order, random);
        for (int k : order.subList(0, bits)) {
            w[k >>> 6] ^= 1L << (k & 63);
        }
        return PdqHash.ofWords(w[0], w[1], w[2], w[3]);
    }

    private static List<PdqHash> read(String file) throws IOException {
        return Files.readAllLines(PdqHasherTest.BUNDLED.resolve(file)).stream()
                .filter(line -> !line.isBlank())
                .map(PdqHash::parse)
                .toList();
    }
}
