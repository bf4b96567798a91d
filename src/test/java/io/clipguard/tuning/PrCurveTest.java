package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrCurveTest {

    private static final List<PrCurve.Sample> SAMPLES = List.of(
            new PrCurve.Sample(0.9, true),
            new PrCurve.Sample(0.8, false),
            new PrCurve.Sample(0.7, true),
            new PrCurve.Sample(0.7, true),
            new PrCurve.Sample(0.2, false));

    @Test
    void onePointPerDistinctScoreCountingTiesTogether() {
        PrCurve curve = PrCurve.of(SAMPLES);
        assertEquals(
                List.of(0.9, 0.8, 0.7, 0.2),
                curve.points().stream().map(PrCurve.Point::threshold).toList());
        PrCurve.Point at07 = curve.points().get(2);
        assertEquals(3, at07.truePositives());
        assertEquals(1, at07.falsePositives());
        assertEquals(0.75, at07.precision());
        assertEquals(1.0, at07.recall());
        assertEquals(2 * 0.75 / 1.75, at07.f1(), 1e-12);
    }

    @Test
    void precisionTargetWithoutMarginPicksTheLowestThresholdThatHoldsIt() {
        PrCurve curve = PrCurve.of(SAMPLES);
        assertEquals(
                0.7,
                ThresholdRecommender.recommend(curve, new Target(Target.Metric.PRECISION, 0.7, 0))
                        .orElseThrow()
                        .threshold());
        assertEquals(
                0.9,
                ThresholdRecommender.recommend(curve, new Target(Target.Metric.PRECISION, 0.99, 0))
                        .orElseThrow()
                        .threshold());
    }

    @Test
    void aConfidenceMarginNeedsMoreEvidence() {
        PrCurve curve = PrCurve.of(SAMPLES);
        assertTrue(
                ThresholdRecommender.recommend(curve, new Target(Target.Metric.PRECISION, 0.7, 1.645))
                        .isEmpty(),
                "4 reviews cannot show 70% precision with 95% confidence");
    }

    @Test
    void wilsonLowerBoundShrinksWithFewerTrials() {
        assertTrue(Target.wilsonLowerBound(9, 10, 1.645) < Target.wilsonLowerBound(900, 1000, 1.645));
        assertEquals(0.9, Target.wilsonLowerBound(9, 10, 0), 1e-12);
    }

    @Test
    void calibrationErrorIsZeroWhenConfidenceMatchesFrequency() {
        List<Calibration.Pair> pairs = List.of(
                new Calibration.Pair(0.25, true),
                new Calibration.Pair(0.25, false),
                new Calibration.Pair(0.25, false),
                new Calibration.Pair(0.25, false));
        assertEquals(0, Calibration.expectedCalibrationError(pairs, 10), 1e-12);
        assertEquals(0.75, Calibration.expectedCalibrationError(List.of(new Calibration.Pair(0.75, false)), 10), 1e-12);
    }
}
