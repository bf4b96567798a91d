package io.clipguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line's parsing, in process: strict options, suggestions, help and defaults. */
class MainTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run clipguard(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(List.of());
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aMisspeltOptionIsRefusedWithASuggestionEvenBeforeMissingOnes() {
        Run run = clipguard("score", "--modle", "models/tiny-clip", "image.png");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("error: Unknown option: '--modle'"), run.err());
        assertTrue(run.err().contains("--model"), run.err());
    }

    @Test
    void anOptionGivenTwiceIsRefused() {
        Run run = clipguard("run", "--config", "a.properties", "--config", "b.properties");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--config") && run.err().contains("only once"), run.err());
    }

    @Test
    void aNumberThatIsNotOneIsRefusedNamingTheOption() {
        Run run = clipguard("tune", "--policy", "p.yaml", "--confidence", "high");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--confidence"), run.err());
    }

    @Test
    void targetPrecisionAndRecallExcludeEachOther() {
        Run run = clipguard("tune", "--policy", "p.yaml", "--target-precision", "0.9", "--target-recall", "0.8");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("mutually exclusive"), run.err());
    }

    @Test
    void everyCommandHasHelpThatNamesItsOptions() {
        for (String command : List.of(
                "run",
                "score",
                "embed-policy",
                "publish-policy",
                "tune",
                "topics",
                "replay-dead-letters",
                "bank",
                "bank import",
                "bank publish",
                "bank list",
                "bank match",
                "bank retro",
                "review")) {
            List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
            args.add("--help");
            Run run = clipguard(args.toArray(String[]::new));
            assertEquals(0, run.exitCode(), command);
            assertTrue(run.out().contains("Usage: clipguard " + command), run.out());
            assertTrue(run.out().contains("-h, --help"), run.out());
        }
        assertTrue(clipguard("tune", "--help").out().contains("(default: tuning)"), "defaults are shown");
        assertTrue(clipguard("review", "--help").out().contains("--hash-password"));
        assertTrue(
                clipguard("bank", "import", "--help").out().contains("--bank-version"),
                "not --version: that is picocli's");
    }

    @Test
    void aWrongTopicsActionIsRefusedWithTheValidOnes() {
        Run run = clipguard("topics", "create", "--config", "c.properties");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("check, apply"), run.err());
    }

    @Test
    void aReasonThatIsNoReasonCodeIsRefusedBeforeAnythingIsRead() {
        Run run = clipguard("replay-dead-letters", "--config", "missing.properties", "--reason", "ENCODER_FAIL");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("ENCODER_FAIL is no reason code"), run.err());
        assertTrue(run.err().contains("ENCODER_FAILED"), "names the codes: " + run.err());
    }
}
