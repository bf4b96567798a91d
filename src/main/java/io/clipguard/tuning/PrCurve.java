package io.clipguard.tuning;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Precision, recall and F1 of one label at every threshold that changes them: one point per distinct
 * score among the reviewed uploads, in decreasing threshold order. A label fires at a threshold when
 * its score is at or above it.
 */
public final class PrCurve {

    /** A reviewed score: the label's score and whether the reviewer said the label applies. */
    public record Sample(double score, boolean applies) {}

    /** The counts at one threshold. */
    public record Point(double threshold, int truePositives, int falsePositives, int falseNegatives) {

        public double precision() {
            int fired = truePositives + falsePositives;
            return fired == 0 ? 1.0 : (double) truePositives / fired;
        }

        public double recall() {
            int positives = truePositives + falseNegatives;
            return positives == 0 ? 1.0 : (double) truePositives / positives;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    private final List<Point> points;
    private final int positives;
    private final int negatives;

    private PrCurve(List<Point> points, int positives, int negatives) {
        this.points = List.copyOf(points);
        this.positives = positives;
        this.negatives = negatives;
    }

    /** Computes the curve of a label's reviewed samples. */
    public static PrCurve of(List<Sample> samples) {
        List<Sample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingDouble(Sample::score).reversed());
        int positives = (int) samples.stream().filter(Sample::applies).count();
        List<Point> points = new ArrayList<>();
        int tp = 0;
        int fp = 0;
        for (int i = 0; i < sorted.size(); i++) {
            Sample sample = sorted.get(i);
            tp += sample.applies() ? 1 : 0;
            fp += sample.applies() ? 0 : 1;
            boolean lastOfItsScore = i + 1 == sorted.size() || sorted.get(i + 1).score() < sample.score();
            if (lastOfItsScore) {
                points.add(new Point(sample.score(), tp, fp, positives - tp));
            }
        }
        return new PrCurve(points, positives, samples.size() - positives);
    }

    /** Points in decreasing threshold order (increasing recall). */
    public List<Point> points() {
        return points;
    }

    public int positives() {
        return positives;
    }

    public int negatives() {
        return negatives;
    }

    /** The point with the best F1, if any. */
    public java.util.Optional<Point> bestF1() {
        return points.stream().max(Comparator.comparingDouble(Point::f1));
    }
}
