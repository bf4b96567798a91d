package io.clipguard.tuning;

import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tunes a policy from review decisions: fits a temperature so scores become calibrated probabilities,
 * then for every label that flags (action review or block) computes the PR curve of its reviewed scores
 * (calibrated scores under the softmax rule, since the tuned policy will run with the new temperature)
 * and recommends a threshold for the target. Stateless.
 */
public final class Tuner {

    private static final int ECE_BINS = 10;

    private Tuner() {}

    /** One label's curve and recommendation. */
    public record LabelTuning(Label label, PrCurve curve, Optional<PrCurve.Point> recommended) {}

    /**
     * The outcome of tuning.
     *
     * @param reviewedUploads  how many scored uploads had a review
     * @param temperatureFactor the fitted temperature relative to the scores as they were
     * @param temperature      the policy temperature to run with (softmax; the old one otherwise)
     * @param eceBefore        expected calibration error of the scores as they were
     * @param eceAfter         expected calibration error at the fitted temperature
     * @param labels           per flagging label
     * @param pairsBefore      the reviewed (score, applies) pairs as scored, for a reliability diagram
     * @param pairsAfter       the same at the fitted temperature
     */
    public record Result(
            int reviewedUploads,
            double temperatureFactor,
            double temperature,
            double eceBefore,
            double eceAfter,
            List<LabelTuning> labels,
            List<Calibration.Pair> pairsBefore,
            List<Calibration.Pair> pairsAfter) {}

    public static Result tune(Policy policy, List<ReviewedUpload> reviewed, Target target) {
        boolean softmax = policy.rule() == DecisionRule.SOFTMAX;
        Map<String, Double> thresholds = new LinkedHashMap<>();
        policy.labels().forEach(label -> thresholds.put(label.id(), label.threshold()));
        Calibration calibration = new Calibration(softmax, thresholds);
        double factor = calibration.fitTemperature(reviewed);
        List<Calibration.Pair> pairsBefore = calibration.pairs(reviewed, softmax ? 1.0 : 0);
        List<Calibration.Pair> pairsAfter = calibration.pairs(reviewed, factor);
        double before = Calibration.expectedCalibrationError(pairsBefore, ECE_BINS);
        double after = Calibration.expectedCalibrationError(pairsAfter, ECE_BINS);
        double scoringTemperature = softmax ? factor : 0;
        List<LabelTuning> labels = new ArrayList<>();
        for (Label label : policy.labels()) {
            if (label.action() != Action.ALLOW) {
                PrCurve curve = PrCurve.of(samples(calibration, reviewed, label.id(), scoringTemperature));
                labels.add(new LabelTuning(label, curve, ThresholdRecommender.recommend(curve, target)));
            }
        }
        double temperature = softmax ? policy.temperature() * factor : policy.temperature();
        return new Result(reviewed.size(), factor, temperature, before, after, labels, pairsBefore, pairsAfter);
    }

    private static List<PrCurve.Sample> samples(
            Calibration calibration, List<ReviewedUpload> reviewed, String label, double temperature) {
        List<PrCurve.Sample> samples = new ArrayList<>();
        for (ReviewedUpload upload : reviewed) {
            Boolean applies = upload.verdicts().get(label);
            if (applies == null) {
                continue;
            }
            Map<String, Double> scores = temperature > 0
                    ? calibration.calibrated(upload.scored(), temperature)
                    : upload.scored().scores();
            Double score = scores.get(label);
            if (score != null) {
                samples.add(new PrCurve.Sample(score, applies));
            }
        }
        return samples;
    }
}
