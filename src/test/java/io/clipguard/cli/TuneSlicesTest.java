package io.clipguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.tuning.PlantedDisparity;
import io.clipguard.tuning.ReviewedUpload;
import io.clipguard.tuning.ScoredUpload;
import io.clipguard.tuning.SyntheticReviews;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code tune --slice}: the audit by slice and the shadow comparison, from files, as a user runs it. */
class TuneSlicesTest {

    @TempDir
    Path dir;

    @Test
    void reportsErrorRatesBySliceAndTheShadowPolicysChanges() throws Exception {
        List<ReviewedUpload> planted = PlantedDisparity.generate();
        Path policy = Files.writeString(dir.resolve("synthetic.yaml"), SyntheticReviews.POLICY);
        Path scored = dir.resolve("scored.jsonl");
        Path reviews = dir.resolve("reviews.jsonl");
        SyntheticReviews.writeJsonLines(planted, scored, reviews);
        Path shadow = dir.resolve("shadow.jsonl");
        SyntheticReviews.writeScored(
                planted.stream()
                        .map(ReviewedUpload::scored)
                        .filter(s -> s.attributes().get("surface").equals("feed")
                                && s.fired().get("bad"))
                        .map(s -> new ScoredUpload(
                                s.uploadId(), "5", s.scores(), Map.of("bad", false), s.attributes(), s.decidedAt()))
                        .toList(),
                shadow);
        Path out = dir.resolve("out");

        TuneCommand command = new TuneCommand();
        new CommandLine(command)
                .parseArgs(
                        "--policy", policy.toString(),
                        "--scored", scored.toString(),
                        "--reviews", reviews.toString(),
                        "--shadow", shadow.toString(),
                        "--slice", "surface",
                        "--out", out.toString());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        assertEquals(0, command.run(new PrintStream(printed, true, StandardCharsets.UTF_8)));

        String report = Files.readString(out.resolve("slices.md"));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(report), "the report is printed too");
        String feed = row(report, "| feed |");
        assertTrue(feed.contains("**differs**: false-positive rate 0.300 (90 of 300)"), feed);
        assertTrue(row(report, "| profile |").contains("| within |"), report);
        assertTrue(row(report, "| kiosk |").contains("**too few to judge**: 5 reviews here"), report);
        assertTrue(report.contains("Shadow policy version 5"), report);
        assertTrue(report.contains("| feed | 450 |"), report);
        assertEquals(
                640,
                ImageIO.read(out.resolve("slices-bad-surface.png").toFile()).getWidth());
        assertTrue(Files.exists(out.resolve("policy-patch.yaml")), "the tuning outputs are still written");
    }

    private static String row(String report, String start) {
        return report.lines()
                .filter(line -> line.startsWith(start))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row " + start + " in\n" + report));
    }
}
