package io.clipguard.tuning;

/**
 * What a recommended threshold must reach, with a one-sided confidence margin: the Wilson score lower
 * bound of the measured precision (or recall) must be at or above {@code value}, so a threshold chosen
 * on a few hundred reviews still holds on the next few hundred.
 *
 * @param metric which rate to hold
 * @param value  the rate, in (0, 1)
 * @param z      the normal quantile of the confidence (1.645 for 95 %); 0 uses the point estimate
 */
public record Target(Metric metric, double value, double z) {

    /** The rate a target holds. */
    public enum Metric {
        PRECISION,
        RECALL
    }

    public Target {
        if (!(value > 0 && value < 1)) {
            throw new IllegalArgumentException(
                    "target " + metric.name().toLowerCase() + " must be in (0, 1), got " + value);
        }
        if (z < 0) {
            throw new IllegalArgumentException("confidence z must not be negative, got " + z);
        }
    }

    /** Wilson score interval lower bound of {@code successes / trials}; 0 for no trials. */
    static double wilsonLowerBound(int successes, int trials, double z) {
        return trials == 0 ? 0 : Proportion.wilson(successes, trials, z).low();
    }

    /** The one-sided normal quantile for a confidence in [0.5, 1): 0.95 gives 1.645; 0.5 gives 0. */
    public static double zFor(double confidence) {
        if (!(confidence >= 0.5 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in [0.5, 1), got " + confidence);
        }
        double lo = 0;
        double hi = 10;
        for (int i = 0; i < 100; i++) {
            double mid = (lo + hi) / 2;
            if (normalCdf(mid) < confidence) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** Standard normal CDF for x >= 0 (Abramowitz and Stegun 7.1.26, error below 1e-7). */
    static double normalCdf(double x) {
        double z = x / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * z);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return 0.5 * (1 + (1 - poly * Math.exp(-z * z)));
    }
}
