package io.clipguard.banks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.pdq.PdqHash;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnownContentTest {

    private static final Random RANDOM = new Random(7);
    private static final PdqHash BANKED = random();
    private static final PdqHash ALLOWED = random();

    @Test
    void matchesWithinTheRadiusAboveTheQualityFloorStrongestActionFirst() {
        KnownContent banks = new KnownContent(31, 50);
        apply(banks, "{\"action\":\"review\",\"version\":\"3\"}", "watch");
        apply(banks, "{\"action\":\"block\",\"queue\":\"legal\",\"version\":\"7\"}", "terror");
        banks.apply(BankRecords.parse(
                "terror/case-1", "{\"hash\":\"" + BANKED.hex() + "\",\"quality\":90,\"metadata\":{\"case\":\"1\"}}"));
        banks.apply(
                BankRecords.parse("watch/w-1", "{\"hash\":\"" + flip(BANKED, 5).hex() + "\"}"));
        banks.publish();

        List<BankMatch> matches = banks.match(List.of(flip(BANKED, 20)), 80);
        assertEquals(2, matches.size());
        BankMatch block = matches.get(0);
        assertEquals(
                new BankMatch("terror", BankAction.BLOCK, "legal", "7", "case-1", 20, 90, Map.of("case", "1")), block);
        assertEquals(BankAction.REVIEW, matches.get(1).action());
        assertEquals("review", matches.get(1).queue(), "a bank's queue defaults to its action");

        assertTrue(banks.match(List.of(flip(BANKED, 40)), 80).stream()
                .noneMatch(m -> m.bank().equals("terror")));
        assertTrue(banks.match(List.of(BANKED), 49).isEmpty(), "under the quality floor nothing matches");
    }

    @Test
    void changesMatchAtOnceAndRemovalsStopMatchingAcrossRebuilds() {
        KnownContent banks = new KnownContent(31, 50);
        apply(banks, "{\"action\":\"allow\"}", "false-positives");
        banks.rebuildAndPublish();
        assertTrue(banks.match(List.of(ALLOWED), 100).isEmpty());

        banks.apply(BankRecords.parse("false-positives/fp-1", "{\"hash\":\"" + ALLOWED.hex() + "\"}"));
        assertTrue(banks.match(List.of(ALLOWED), 100).isEmpty(), "not visible before publish");
        banks.publish();
        assertEquals("fp-1", banks.match(List.of(ALLOWED), 100).get(0).entryId(), "matched from the changes");

        banks.rebuildAndPublish();
        assertEquals("fp-1", banks.match(List.of(ALLOWED), 100).get(0).entryId(), "matched from the index");

        banks.apply(BankRecords.parse("false-positives/fp-1", null));
        banks.publish();
        assertTrue(banks.match(List.of(ALLOWED), 100).isEmpty(), "a removed entry stops matching at once");

        banks.apply(BankRecords.parse(
                "false-positives/fp-1", "{\"hash\":\"" + flip(ALLOWED, 3).hex() + "\"}"));
        banks.publish();
        assertEquals(3, banks.match(List.of(ALLOWED), 100).get(0).distance(), "re-added with another hash");

        for (int i = 0; i < KnownContent.REBUILD_AFTER + 10; i++) {
            banks.apply(BankRecords.parse("false-positives/r-" + i, "{\"hash\":\"" + random().hex() + "\"}"));
        }
        banks.publish(); // rebuilds
        assertEquals(3, banks.match(List.of(ALLOWED), 100).get(0).distance());
        assertEquals(
                KnownContent.REBUILD_AFTER + 11,
                banks.sizes().values().iterator().next());

        banks.apply(BankRecords.parse("false-positives", null));
        banks.publish();
        assertTrue(banks.match(List.of(ALLOWED), 100).isEmpty(), "a deleted bank matches nothing");
    }

    @Test
    void anyOfTheRotationsMatchesAndEachEntryIsReportedOnceAtItsNearest() {
        KnownContent banks = new KnownContent(31, 50);
        apply(banks, "{\"action\":\"block\"}", "b");
        banks.apply(BankRecords.parse("b/e", "{\"hash\":\"" + BANKED.hex() + "\"}"));
        banks.publish();
        List<BankMatch> matches = banks.match(List.of(random(), flip(BANKED, 12), flip(BANKED, 4)), 100);
        assertEquals(1, matches.size());
        assertEquals(4, matches.get(0).distance());
    }

    @Test
    void malformedRecordsAreRefusedWithTheReason() {
        for (String[] bad : new String[][] {
            {"Bad Name", "{\"action\":\"block\"}"},
            {"b", "{\"action\":\"delete\"}"},
            {"b", "not json"},
            {"b/e", "{\"hash\":\"xyz\"}"},
            {"b/" + "e".repeat(300), "{\"hash\":\"" + BANKED.hex() + "\"}"},
            {"", "{}"},
            {"b/e", "{\"hash\":\"" + BANKED.hex() + "\",\"quality\":\"high\"}"},
            {"Bad Bank/e", "{\"hash\":\"" + BANKED.hex() + "\"}"},
            {null, "{}"}
        }) {
            assertThrows(
                    IllegalArgumentException.class, () -> BankRecords.parse(bad[0], bad[1]), bad[0] + " " + bad[1]);
        }
        assertThrows(IllegalArgumentException.class, () -> new KnownContent(256, 50));
    }

    @Test
    void recordsRoundTrip() {
        for (Bank bank : List.of(
                new Bank("terror", BankAction.BLOCK, "legal", "GIFCT", "2026-12"),
                new Bank("fp", BankAction.ALLOW, null, null, null))) {
            assertEquals(
                    new BankRecords.BankSet(bank), BankRecords.parse(BankRecords.key(bank), BankRecords.value(bank)));
        }
        BankEntry entry = new BankEntry("case/1", BANKED, 77, Map.of("k", "v"));
        assertEquals(
                new BankRecords.EntrySet("terror", entry),
                BankRecords.parse(BankRecords.key("terror", entry.id()), BankRecords.value(entry)));
    }

    private static void apply(KnownContent banks, String value, String name) {
        banks.apply(BankRecords.parse(name, value));
    }

    static PdqHash random() {
        return PdqHash.ofWords(RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong(), RANDOM.nextLong());
    }

    static PdqHash flip(PdqHash hash, int bits) {
        long[] w = {hash.word(0), hash.word(1), hash.word(2), hash.word(3)};
        for (int k = 0; k < bits; k++) {
            int bit = 7 * k % 256; // distinct for k < 256/gcd(7,256) = 256
            w[bit >>> 6] ^= 1L << (bit & 63);
        }
        return PdqHash.ofWords(w[0], w[1], w[2], w[3]);
    }
}
