package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunerTest {

    private static final Policy POLICY = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");

    @Test
    void recommendedThresholdReachesTheTargetPrecisionOnAHeldOutSet() {
        Target target = new Target(Target.Metric.PRECISION, 0.9, 1.645);
        Tuner.Result result = Tuner.tune(POLICY, SyntheticReviews.generate(3000, 1), target);
        Tuner.LabelTuning bad = result.labels().get(0);
        assertEquals("bad", bad.label().id());
        double threshold = PolicyPatch.threshold(bad.recommended().orElseThrow());

        Calibration calibration = new Calibration(true, java.util.Map.of());
        int truePositives = 0;
        int fired = 0;
        int positives = 0;
        for (ReviewedUpload upload : SyntheticReviews.generate(3000, 2)) {
            double score = calibration
                    .calibrated(upload.scored(), result.temperatureFactor())
                    .get("bad");
            boolean applies = upload.verdicts().get("bad");
            fired += score >= threshold ? 1 : 0;
            truePositives += score >= threshold && applies ? 1 : 0;
            positives += applies ? 1 : 0;
        }
        double precision = (double) truePositives / fired;
        double recall = (double) truePositives / positives;
        assertTrue(precision >= 0.9, "held-out precision " + precision + " at threshold " + threshold);
        assertTrue(recall > 0.15, "held-out recall " + recall);
    }

    @Test
    void temperatureFitLowersTheCalibrationErrorOfAnOverconfidentModel() {
        Tuner.Result result =
                Tuner.tune(POLICY, SyntheticReviews.generate(3000, 1), new Target(Target.Metric.PRECISION, 0.9, 1.645));
        assertEquals(SyntheticReviews.TRUE_TEMPERATURE, result.temperatureFactor(), 0.3);
        assertTrue(result.eceAfter() < result.eceBefore() / 2, result.eceBefore() + " -> " + result.eceAfter());
        assertEquals(result.temperatureFactor(), result.temperature(), 1e-9);
    }

    @Test
    void recallTargetPicksTheHighestThresholdThatHoldsIt() {
        Tuner.Result result =
                Tuner.tune(POLICY, SyntheticReviews.generate(2000, 3), new Target(Target.Metric.RECALL, 0.8, 0));
        PrCurve.Point point = result.labels().get(0).recommended().orElseThrow();
        assertTrue(point.recall() >= 0.8);
        List<PrCurve.Point> points = result.labels().get(0).curve().points();
        int index = points.indexOf(point);
        assertTrue(index == 0 || points.get(index - 1).recall() < 0.8, "no higher threshold holds the recall");
    }

    @Test
    void neutralLabelsAreNotTuned() {
        Tuner.Result result =
                Tuner.tune(POLICY, SyntheticReviews.generate(100, 4), new Target(Target.Metric.PRECISION, 0.9, 1.645));
        assertEquals(
                List.of("bad"),
                result.labels().stream().map(l -> l.label().id()).toList());
    }

    @Test
    void cosineMarginPoliciesGetThresholdsInCosinesAndKeepTheirTemperature() {
        Policy margin = PolicyLoader.parse(
                """
                id: m
                version: 1
                rule: cosine_margin
                labels: [{id: bad, prompts: [x], action: review, threshold: 0.25}]
                """,
                "m.yaml");
        java.util.Random random = new java.util.Random(5);
        List<ReviewedUpload> reviewed = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            double cosine = 0.2 + 0.05 * random.nextGaussian();
            boolean bad = random.nextDouble() < 1 / (1 + Math.exp(-(cosine - 0.25) / 0.02));
            reviewed.add(new ReviewedUpload(
                    new ScoredUpload("u" + i, "1", java.util.Map.of("bad", cosine)), java.util.Map.of("bad", bad)));
        }
        Tuner.Result result = Tuner.tune(margin, reviewed, new Target(Target.Metric.PRECISION, 0.9, 1.645));
        assertEquals(1.0, result.temperature());
        assertEquals(0.02, result.temperatureFactor(), 0.005);
        assertTrue(result.eceAfter() < result.eceBefore());
        double threshold = result.labels().get(0).recommended().orElseThrow().threshold();
        assertTrue(threshold > 0.25 && threshold < 0.4, "a cosine above the 50% point: " + threshold);
    }
}
