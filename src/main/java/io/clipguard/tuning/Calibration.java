package io.clipguard.tuning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Temperature scaling fitted on review decisions, so that a label's score reads as the probability that
 * a reviewer would say the label applies.
 *
 * <ul>
 *   <li>softmax policies: scores are a softmax over the labels, so {@code log(score)} are the logits up to
 *       a constant; the calibrated scores are {@code softmax(log(score) / T)}. At run time this is the
 *       policy's {@code temperature} multiplied by {@code T}.</li>
 *   <li>cosine-margin policies: the calibrated probability is {@code sigmoid((score - threshold) / T)};
 *       reported only, since such a policy fires on cosines.</li>
 * </ul>
 *
 * {@code T} minimises the negative log-likelihood of the verdicts (golden-section search over log T).
 */
public final class Calibration {

    private static final double MIN_LOG_T = Math.log(0.01);
    private static final double MAX_LOG_T = Math.log(100);
    private static final double EPSILON = 1e-12;

    private final boolean softmax;
    private final Map<String, Double> thresholds;

    /**
     * @param softmax    whether the scores are softmax probabilities (else cosines)
     * @param thresholds the policy's thresholds by label, for cosine-margin scores
     */
    public Calibration(boolean softmax, Map<String, Double> thresholds) {
        this.softmax = softmax;
        this.thresholds = Map.copyOf(thresholds);
    }

    /** A reviewed (probability, applies) pair. */
    public record Pair(double probability, boolean applies) {}

    /** The upload's scores recalibrated at temperature {@code t}, by label. */
    public Map<String, Double> calibrated(ScoredUpload upload, double t) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        if (softmax) {
            double sum = 0;
            for (Map.Entry<String, Double> score : upload.scores().entrySet()) {
                double tempered = Math.exp(Math.log(Math.max(score.getValue(), EPSILON)) / t);
                out.put(score.getKey(), tempered);
                sum += tempered;
            }
            double total = sum;
            out.replaceAll((label, value) -> value / total);
        } else {
            upload.scores()
                    .forEach((label, score) ->
                            out.put(label, 1 / (1 + Math.exp(-(score - thresholds.getOrDefault(label, 0.0)) / t))));
        }
        return out;
    }

    /** The verdict pairs of all reviewed labels at temperature {@code t}; {@code t <= 0} means the raw scores. */
    public List<Pair> pairs(List<ReviewedUpload> reviewed, double t) {
        List<Pair> pairs = new ArrayList<>();
        for (ReviewedUpload upload : reviewed) {
            Map<String, Double> scores =
                    t > 0 ? calibrated(upload.scored(), t) : upload.scored().scores();
            upload.verdicts().forEach((label, applies) -> {
                Double score = scores.get(label);
                if (score != null) {
                    pairs.add(new Pair(Math.min(1, Math.max(0, score)), applies));
                }
            });
        }
        return pairs;
    }

    /** The temperature that minimises the verdicts' negative log-likelihood. */
    public double fitTemperature(List<ReviewedUpload> reviewed) {
        double lo = MIN_LOG_T;
        double hi = MAX_LOG_T;
        double ratio = (Math.sqrt(5) - 1) / 2;
        for (int i = 0; i < 80; i++) {
            double a = hi - ratio * (hi - lo);
            double b = lo + ratio * (hi - lo);
            if (nll(reviewed, Math.exp(a)) < nll(reviewed, Math.exp(b))) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return Math.exp((lo + hi) / 2);
    }

    private double nll(List<ReviewedUpload> reviewed, double t) {
        double sum = 0;
        for (Pair pair : pairs(reviewed, t)) {
            double p = Math.min(1 - EPSILON, Math.max(EPSILON, pair.probability()));
            sum -= pair.applies() ? Math.log(p) : Math.log(1 - p);
        }
        return sum;
    }

    /** Expected calibration error: the count-weighted mean |accuracy - confidence| over equal-width bins. */
    public static double expectedCalibrationError(List<Pair> pairs, int bins) {
        double[] confidence = new double[bins];
        double[] positives = new double[bins];
        int[] counts = new int[bins];
        for (Pair pair : pairs) {
            int bin = Math.min(bins - 1, (int) (pair.probability() * bins));
            confidence[bin] += pair.probability();
            positives[bin] += pair.applies() ? 1 : 0;
            counts[bin]++;
        }
        double error = 0;
        for (int bin = 0; bin < bins; bin++) {
            if (counts[bin] > 0) {
                error += Math.abs(positives[bin] - confidence[bin]) / pairs.size();
            }
        }
        return error;
    }
}
