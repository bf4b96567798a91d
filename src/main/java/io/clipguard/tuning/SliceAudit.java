package io.clipguard.tuning;

import io.clipguard.policy.Action;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Error rates by slice: for every flagging label and every value of a slice key (an upload attribute
 * carried on the scored event, such as {@code surface} or {@code locale}), the label's precision,
 * recall and false-positive rate among the reviewed uploads of that slice, each with a Wilson
 * interval and the count behind it, set against the same rates over all other reviewed uploads.
 *
 * <p>A label fires for an upload when its score as recorded is at or above the policy's threshold
 * for that upload (its slice threshold where the policy sets one): the audit judges the policy file
 * it is given, on the scores the job wrote. A slice <em>differs</em> when its false-positive rate or
 * its recall is at least {@code margin} away from the rest's and the interval of the difference
 * (Newcombe's, from both Wilson intervals) leaves out zero; it is <em>too small</em> when it or the
 * rest has fewer than {@code minReviews} reviews, or when it has no reviewed negatives and positives
 * enough to measure either rate. Stateless.
 */
public final class SliceAudit {

    /** The slice value of uploads that do not carry the key. */
    public static final String NOT_SET = "(not set)";
    /** The slice of the values beyond {@link Settings#maxValues()}, merged. */
    public static final String OTHER_VALUES = "(other values)";
    /** Values are shown up to this many characters: attributes are the uploader's strings. */
    static final int MAX_VALUE_CHARS = 64;

    /**
     * @param margin     the smallest difference from the rest worth flagging, as a rate (0.05 = 5 points)
     * @param minReviews fewer reviews than this in a slice (or in the rest) is too few to judge
     * @param z          the two-sided normal quantile of the intervals (1.96 for 95%)
     * @param maxValues  the most values of one key reported on their own (by reviews); the rest are merged
     */
    public record Settings(double margin, int minReviews, double z, int maxValues) {

        public static final Settings DEFAULTS = new Settings(0.05, 30, 1.96, 20);

        public Settings {
            if (!(margin >= 0 && margin < 1)) {
                throw new IllegalArgumentException("the slice margin must be in [0, 1), got " + margin);
            }
            if (minReviews < 1 || maxValues < 1) {
                throw new IllegalArgumentException("minimum reviews and values per key must be at least 1");
            }
        }
    }

    /** What the audit says of a slice. */
    public enum Verdict {
        TOO_FEW,
        DIFFERS,
        WITHIN
    }

    /** A label's rates over some reviewed uploads; undefined rates have a total of 0. */
    public record Rates(int reviewed, Proportion precision, Proportion recall, Proportion falsePositiveRate) {

        static Rates of(List<Judged> judged, double z) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            int tn = 0;
            for (Judged j : judged) {
                if (j.fired()) {
                    tp += j.applies() ? 1 : 0;
                    fp += j.applies() ? 0 : 1;
                } else {
                    fn += j.applies() ? 1 : 0;
                    tn += j.applies() ? 0 : 1;
                }
            }
            return new Rates(
                    judged.size(),
                    Proportion.wilson(tp, tp + fp, z),
                    Proportion.wilson(tp, tp + fn, z),
                    Proportion.wilson(fp, fp + tn, z));
        }
    }

    /**
     * One slice of one label.
     *
     * @param value        the attribute's value (cut to {@link #MAX_VALUE_CHARS}), {@link #NOT_SET} or
     *                     {@link #OTHER_VALUES}
     * @param rates        the slice's rates
     * @param rest         the same rates over every other reviewed upload
     * @param fprVsRest    the slice's false-positive rate minus the rest's, with its interval
     * @param recallVsRest the slice's recall minus the rest's, with its interval
     * @param verdict      too few, differs or within
     * @param why          the reasons, in words, for a verdict other than within
     * @param recommended  the threshold that would meet the tuning target within this slice alone, if
     *                     any: only for a slice threshold chosen explicitly
     */
    public record Slice(
            String value,
            Rates rates,
            Rates rest,
            Proportion.Difference fprVsRest,
            Proportion.Difference recallVsRest,
            Verdict verdict,
            List<String> why,
            Optional<PrCurve.Point> recommended) {}

    /** A label's slices by one key, most reviewed first. */
    public record LabelSlices(Label label, String key, Rates overall, List<Slice> slices) {}

    /** A reviewed upload's decision on one label, with the value of the key it has. */
    record Judged(String value, double score, boolean fired, boolean applies) {}

    private SliceAudit() {}

    /** Audits every flagging label of {@code policy} by each key, in the order given. */
    public static List<LabelSlices> audit(
            Policy policy, List<ReviewedUpload> reviewed, List<String> keys, Settings settings, Target target) {
        List<LabelSlices> out = new ArrayList<>();
        for (String key : keys) {
            for (Label label : policy.labels()) {
                if (label.action() != Action.ALLOW) {
                    out.add(audit(label, key, judged(label, key, reviewed), settings, target));
                }
            }
        }
        return out;
    }

    private static List<Judged> judged(Label label, String key, List<ReviewedUpload> reviewed) {
        List<Judged> judged = new ArrayList<>();
        for (ReviewedUpload upload : reviewed) {
            Boolean applies = upload.verdicts().get(label.id());
            Double score = upload.scored().scores().get(label.id());
            if (applies == null || score == null) {
                continue;
            }
            Map<String, String> attributes = upload.scored().attributes();
            String value = attributes.getOrDefault(key, NOT_SET);
            judged.add(new Judged(value, score, score >= label.thresholdFor(attributes), applies));
        }
        return judged;
    }

    private static LabelSlices audit(Label label, String key, List<Judged> judged, Settings settings, Target target) {
        Map<String, String> sliceOf =
                sliceNames(judged.stream().map(Judged::value).toList(), settings.maxValues());
        List<Slice> slices = new ArrayList<>();
        for (String slice : new LinkedHashSet<>(sliceOf.values())) {
            Map<Boolean, List<Judged>> inOrOut = judged.stream()
                    .collect(Collectors.partitioningBy(
                            j -> sliceOf.get(j.value()).equals(slice)));
            slices.add(slice(slice, inOrOut.get(true), inOrOut.get(false), settings, target));
        }
        return new LabelSlices(label, key, Rates.of(judged, settings.z()), slices);
    }

    private static Slice slice(String value, List<Judged> in, List<Judged> out, Settings settings, Target target) {
        Rates rates = Rates.of(in, settings.z());
        Rates rest = Rates.of(out, settings.z());
        Proportion.Difference fpr = rates.falsePositiveRate().minus(rest.falsePositiveRate());
        Proportion.Difference recall = rates.recall().minus(rest.recall());
        List<String> why = new ArrayList<>();
        Verdict verdict;
        if (in.size() < settings.minReviews() || out.size() < settings.minReviews()) {
            verdict = Verdict.TOO_FEW;
            why.add(String.format(
                    Locale.ROOT,
                    "%d reviews here and %d in the rest: fewer than %d is too few to judge",
                    in.size(),
                    out.size(),
                    settings.minReviews()));
        } else {
            comparison("false-positive rate", rates.falsePositiveRate(), rest.falsePositiveRate(), fpr, settings)
                    .ifPresent(why::add);
            comparison("recall", rates.recall(), rest.recall(), recall, settings)
                    .ifPresent(why::add);
            boolean measurable = rates.falsePositiveRate().defined()
                            && rest.falsePositiveRate().defined()
                    || rates.recall().defined() && rest.recall().defined();
            verdict = !why.isEmpty() ? Verdict.DIFFERS : measurable ? Verdict.WITHIN : Verdict.TOO_FEW;
            if (!measurable) {
                why.add("no reviewed negatives or positives on one side: neither rate can be compared");
            }
        }
        List<PrCurve.Sample> samples =
                in.stream().map(j -> new PrCurve.Sample(j.score(), j.applies())).toList();
        Optional<PrCurve.Point> recommended = verdict == Verdict.TOO_FEW
                ? Optional.empty()
                : ThresholdRecommender.recommend(PrCurve.of(samples), target);
        return new Slice(value, rates, rest, fpr, recall, verdict, why, recommended);
    }

    /** Words for a rate that differs from the rest's beyond the margin, with an interval that leaves out zero. */
    private static Optional<String> comparison(
            String what, Proportion here, Proportion rest, Proportion.Difference d, Settings settings) {
        if (!here.defined() || !rest.defined() || Math.abs(d.value()) < settings.margin() || !d.excludesZero()) {
            return Optional.empty();
        }
        return Optional.of(String.format(
                Locale.ROOT,
                "%s %.3f (%d of %d) against %.3f for the rest: %+.3f, interval %+.3f to %+.3f",
                what,
                here.value(),
                here.hits(),
                here.total(),
                rest.value(),
                d.value(),
                d.low(),
                d.high()));
    }

    /**
     * Each value of a key mapped to the slice it is reported in: itself (cut to
     * {@link #MAX_VALUE_CHARS}, control characters replaced) for the {@code maxValues} most frequent,
     * {@link #OTHER_VALUES} for the rest.
     */
    static Map<String, String> sliceNames(List<String> values, int maxValues) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        values.forEach(value -> counts.merge(value, 1, Integer::sum));
        List<String> byCount = new ArrayList<>(counts.keySet());
        byCount.sort(
                Comparator.comparingInt((String value) -> -counts.get(value)).thenComparing(value -> value));
        Map<String, String> sliceOf = new LinkedHashMap<>();
        for (int i = 0; i < byCount.size(); i++) {
            sliceOf.put(byCount.get(i), i < maxValues ? shown(byCount.get(i)) : OTHER_VALUES);
        }
        return sliceOf;
    }

    private static String shown(String value) {
        String printable = value.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.length() <= MAX_VALUE_CHARS ? printable : printable.substring(0, MAX_VALUE_CHARS) + "...";
    }
}
