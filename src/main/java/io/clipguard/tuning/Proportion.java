package io.clipguard.tuning;

/**
 * A rate measured on {@code total} reviewed uploads ({@code hits} of them counted), with its Wilson
 * score interval: unlike the normal approximation it stays inside [0, 1] and is honest at small
 * counts and at rates near 0 or 1, which is where a slice's false-positive rate lives.
 *
 * @param hits  how many were counted (false positives, say)
 * @param total out of how many (the slice's reviewed negatives, say); 0 gives an undefined rate
 * @param low   lower bound of the interval
 * @param high  upper bound of the interval
 */
public record Proportion(int hits, int total, double low, double high) {

    /** The rate with its two-sided Wilson interval at {@code z} standard errors (1.96 for 95%). */
    public static Proportion wilson(int hits, int total, double z) {
        if (hits < 0 || total < 0 || hits > total) {
            throw new IllegalArgumentException(hits + " of " + total);
        }
        if (total == 0) {
            return new Proportion(0, 0, 0, 1);
        }
        double p = (double) hits / total;
        double z2 = z * z;
        double denominator = 1 + z2 / total;
        double centre = (p + z2 / (2.0 * total)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / total + z2 / (4.0 * total * total));
        return new Proportion(hits, total, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** The rate, or NaN when nothing was measured. */
    public double value() {
        return total == 0 ? Double.NaN : (double) hits / total;
    }

    public boolean defined() {
        return total > 0;
    }

    /**
     * This rate minus {@code other}'s, with Newcombe's interval for a difference of two independent
     * proportions (his method 10, built from both Wilson intervals): it excludes zero only when the
     * two rates really differ at the intervals' confidence.
     */
    public Difference minus(Proportion other) {
        double d = value() - other.value();
        return new Difference(
                d,
                d - Math.sqrt(square(value() - low) + square(other.high - other.value())),
                d + Math.sqrt(square(high - value()) + square(other.value() - other.low)));
    }

    private static double square(double x) {
        return x * x;
    }

    /** A difference of two rates and its interval. */
    public record Difference(double value, double low, double high) {

        /** Whether the interval leaves out zero: the difference is not chance at this confidence. */
        public boolean excludesZero() {
            return low > 0 || high < 0;
        }
    }
}
