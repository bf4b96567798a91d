package io.clipguard.banks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashListsTest {

    private static final String A = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    private static final String B = "30a10efdf1c83f429013d48d0ffffc52e34e0e35ada952a9d29605215aa9e5af";

    @Test
    void readsOneHashPerLineWithCommentsBlanksAndRepeats() throws IOException {
        HashLists.Parsed parsed = read("# a list\n" + A + "\n\n" + B.toUpperCase() + "\n" + A + "\n");
        assertEquals(2, parsed.entries().size());
        assertEquals(1, parsed.duplicates());
        assertEquals(A, parsed.entries().get(0).id(), "a plain list's entry id is its hash");
        assertEquals(B, parsed.entries().get(1).hash().hex());
        assertNull(parsed.entries().get(0).quality());
    }

    @Test
    void readsCsvWithIdQualityAndMetadataColumns() throws IOException {
        HashLists.Parsed parsed = read("Hash,quality,id,category,note\n"
                + A + ",92,case-1,terror,\"a note, with a comma and \"\"quotes\"\"\"\n"
                + B + ",,,,\n");
        BankEntry first = parsed.entries().get(0);
        assertEquals("case-1", first.id());
        assertEquals(92, first.quality());
        assertEquals(Map.of("category", "terror", "note", "a note, with a comma and \"quotes\""), first.metadata());
        BankEntry second = parsed.entries().get(1);
        assertEquals(B, second.id());
        assertNull(second.quality());
        assertEquals(Map.of(), second.metadata());
    }

    @Test
    void aListWithBadLinesIsNotImportedAndEveryBadLineIsNamed() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> read(A + "\nnot-a-hash\n" + A.substring(1) + "\n"));
        assertTrue(e.getMessage().contains("list.txt:2: a PDQ hash is 64 hex digits"), e.getMessage());
        assertTrue(e.getMessage().contains("list.txt:3: "), e.getMessage());

        List<String> bad = List.of(
                "id,quality\nx,1\n", // no hash column
                "hash,quality\n" + A + ",high\n",
                "hash,quality\n" + A + ",101\n",
                "hash,id\n" + A + ",\"unclosed\n",
                "hash,id\n" + A + "\n", // a column short
                "hash,id\n" + A + ",bell\u0007\n",
                "hash,id\n" + A + ",same\n" + B + ",same\n"); // one id, two hashes
        for (String list : bad) {
            assertThrows(IllegalArgumentException.class, () -> read(list), list);
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            many.append("bad\n");
        }
        IllegalArgumentException capped = assertThrows(IllegalArgumentException.class, () -> read(many.toString()));
        assertTrue(capped.getMessage().endsWith("... and more"), capped.getMessage());
    }

    @Test
    void aByteOrderMarkBeforeTheFirstLineIsIgnored() throws IOException {
        assertEquals(1, read("\uFEFFhash,id\n" + A + ",x\n").entries().size());
        assertEquals(1, read("\uFEFF" + A + "\n").entries().size());
    }

    @Test
    void readsTheReferenceHashListFile() throws IOException {
        HashLists.Parsed parsed = HashLists.read(Path.of("src/test/resources/pdq/haystack.txt"));
        assertEquals(1350, parsed.entries().size() + parsed.duplicates());
    }

    private static HashLists.Parsed read(String text) throws IOException {
        return HashLists.read(new BufferedReader(new StringReader(text)), "list.txt");
    }
}
