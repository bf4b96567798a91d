package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.model.BundleException;
import io.clipguard.model.TextSpec;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses a hand-written WordLevel tokenizer.json without a lower-casing normaliser. */
class ClipTokenizerTest {

    private static final TextSpec CLIP_LIKE = new TextSpec(77, 1, 2, 0, true);

    @Test
    void framesWithBeginAndEndAndPadsToTheContextLength() {
        long[] ids = ids(CLIP_LIKE, "a photo of a red star");

        assertEquals(77, ids.length);
        assertArrayEquals(new long[] {1, 4, 5, 6, 4, 7, 9, 2, 0, 0}, Arrays.copyOf(ids, 10));
        assertTrue(Arrays.stream(ids, 8, 77).allMatch(id -> id == 0));
    }

    @Test
    void padsWithTheManifestsPadId() {
        long[] ids = ids(new TextSpec(77, 1, 2, 2, true), "red star");

        assertTrue(Arrays.stream(ids, 3, 77).allMatch(id -> id == 2));
    }

    @Test
    void lowerCasesOnlyWhenTheBundleSaysSo() {
        assertArrayEquals(ids(CLIP_LIKE, "a red star"), ids(CLIP_LIKE, "A RED Star"));
        assertEquals(3, ids(new TextSpec(77, 1, 2, 0, false), "RED")[1], "unknown word id");
    }

    @Test
    void truncatesToTheContextLengthKeepingTheEndToken() {
        long[] ids = ids(CLIP_LIKE, "red ".repeat(200));

        assertEquals(77, ids.length);
        assertEquals(1, ids[0]);
        assertEquals(7, ids[75]);
        assertEquals(2, ids[76]);
    }

    @Test
    void rejectsATokenizerThatFramesWithOtherIds() {
        BundleException e = assertThrows(
                BundleException.class, () -> ClipTokenizer.load(fixture(), new TextSpec(77, 49406, 49407, 0, true)));

        assertTrue(e.getMessage().contains("bos_token_id=49406"), e.getMessage());
    }

    @Test
    void rejectsAnUnreadableTokenizer(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": 42}");

        BundleException e = assertThrows(BundleException.class, () -> ClipTokenizer.load(broken, CLIP_LIKE));
        assertTrue(e.getMessage().startsWith(broken + ": cannot load tokenizer"), e.getMessage());
    }

    private static long[] ids(TextSpec spec, String text) {
        try (ClipTokenizer tokenizer = ClipTokenizer.load(fixture(), spec)) {
            return tokenizer.ids(text);
        }
    }

    static Path fixture() {
        try {
            return Path.of(ClipTokenizerTest.class
                    .getResource("/encode/tokenizer-wordlevel.json")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
