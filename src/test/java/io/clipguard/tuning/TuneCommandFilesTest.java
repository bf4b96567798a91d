package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline tuning loop through files: JSON lines in; plot, patch and tuned policy out. */
class TuneCommandFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void jsonLinesRoundTripThroughTheTunerIntoAPatchedPolicyAndAPlot() throws Exception {
        List<ReviewedUpload> synthetic = SyntheticReviews.generate(2000, 7);
        Path scored = dir.resolve("scored.jsonl");
        Path reviews = dir.resolve("reviews.jsonl");
        writeJsonLines(synthetic, scored, reviews);

        List<ReviewedUpload> joined = ReviewedUpload.join(JsonLines.readScored(scored), JsonLines.readReviews(reviews));
        assertEquals(2000, joined.size());
        Policy policy = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");
        Target target = new Target(Target.Metric.PRECISION, 0.9, Target.zFor(0.95));
        Tuner.Result result = Tuner.tune(policy, joined, target);

        Policy tuned = PolicyLoader.parse(PolicyPatch.apply(SyntheticReviews.POLICY, policy, result), "tuned.yaml");
        assertEquals("5", tuned.version());
        assertEquals(
                PolicyPatch.threshold(result.labels().get(0).recommended().orElseThrow()),
                tuned.labels().get(0).threshold());
        assertEquals(result.temperature(), tuned.temperature(), 1e-4);
        assertEquals(0.5, tuned.labels().get(1).threshold(), "neutral labels keep their thresholds");
        assertTrue(PolicyPatch.patch(policy, result, target).contains("bad:\n    threshold: "));

        Path png = dir.resolve("pr-bad.png");
        PrPlot.write(
                png,
                "bad",
                result.labels().get(0).curve(),
                target,
                result.labels().get(0).recommended());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(640, image.getWidth());
        Path reliability = dir.resolve("calibration.png");
        ReliabilityPlot.write(
                reliability, result.pairsBefore(), result.pairsAfter(), result.eceBefore(), result.eceAfter());
        assertEquals(480, ImageIO.read(reliability.toFile()).getHeight());
    }

    @Test
    void laterReviewOfTheSameUploadWins() {
        ScoredUpload upload = new ScoredUpload("u", "1", java.util.Map.of("bad", 0.7));
        List<ReviewedUpload> joined = ReviewedUpload.join(
                List.of(upload),
                List.of(
                        new Review("u", java.util.Map.of("bad", false), "a", java.time.Instant.ofEpochSecond(20)),
                        new Review("u", java.util.Map.of("bad", true), "b", java.time.Instant.ofEpochSecond(10))));
        assertEquals(java.util.Map.of("bad", false), joined.get(0).verdicts());
    }

    @Test
    void zForConfidence() {
        assertEquals(1.645, Target.zFor(0.95), 1e-3);
        assertEquals(0, Target.zFor(0.5), 1e-6);
    }

    static void writeJsonLines(List<ReviewedUpload> uploads, Path scored, Path reviews) throws Exception {
        SyntheticReviews.writeJsonLines(uploads, scored, reviews);
    }
}
