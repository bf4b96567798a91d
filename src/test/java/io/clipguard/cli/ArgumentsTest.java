package io.clipguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private static final Set<String> TUNE = Set.of("policy", "target-precision", "target-recall", "confidence");

    @Test
    void misspeltOptionIsRefusedAndNamedWithTheLikelyOne() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Arguments.parse(new String[] {"--policy", "p.yaml", "--target-precison", "0.8"}, TUNE));
        assertTrue(
                e.getMessage().startsWith("unknown option --target-precison (did you mean --target-precision?)"),
                e.getMessage());
    }

    @Test
    void optionWithoutItsValueIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Arguments.parse(new String[] {"--policy", "--confidence", "0.9"}, TUNE));
        assertEquals("option --policy needs a value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Arguments.parse(new String[] {"--policy"}, TUNE));
        assertEquals("option --policy needs a value", e.getMessage());
    }

    @Test
    void badNumberNamesItsOption() {
        Arguments arguments = Arguments.parse(new String[] {"--confidence", "high"}, TUNE);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> arguments.decimal("confidence", 0.95));
        assertEquals("--confidence high is not a number", e.getMessage());
    }

    @Test
    void optionGivenTwiceIsRefused() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Arguments.parse(new String[] {"--policy", "a", "--policy=b"}, TUNE));
        assertEquals("option --policy is given twice", e.getMessage());
    }

    @Test
    void equalsFormAndPositionalArgumentsAreRead() {
        Arguments arguments = Arguments.parse(new String[] {"--policy=p.yaml", "a.png", "b.png"}, TUNE);
        assertEquals("p.yaml", arguments.required("policy"));
        assertEquals(List.of("a.png", "b.png"), arguments.positional());
    }
}
