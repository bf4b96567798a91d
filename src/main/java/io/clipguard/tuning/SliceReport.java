package io.clipguard.tuning;

import java.util.List;
import java.util.Locale;

/** The slice audit and the shadow comparison as Markdown: what {@code tune --slice} prints and writes to {@code slices.md}. */
public final class SliceReport {

    private SliceReport() {}

    public static String markdown(
            List<SliceAudit.LabelSlices> audits, ShadowBySlice.Result shadow, SliceAudit.Settings settings) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "# Error rates by slice%n%nAt the policy's thresholds, on the scores as recorded. A slice differs when its"
                        + " false-positive rate or recall is %.3f or more away from the rest's and the interval of the"
                        + " difference leaves out zero; fewer than %d reviews is too few to judge. Intervals: Wilson,"
                        + " %.0f%%.%n",
                settings.margin(),
                settings.minReviews(),
                100 * confidence(settings.z())));
        for (SliceAudit.LabelSlices audit : audits) {
            out.append(String.format(
                    Locale.ROOT,
                    "%n## %s by %s (%d reviews, false-positive rate %s, recall %s)%n%n",
                    audit.label().id(),
                    audit.key(),
                    audit.overall().reviewed(),
                    rate(audit.overall().falsePositiveRate()),
                    rate(audit.overall().recall())));
            out.append("| slice | reviews | precision | recall | false-positive rate | FPR vs rest | recall vs rest"
                    + " | verdict | threshold for the target within the slice |\n");
            out.append("|---|---|---|---|---|---|---|---|---|\n");
            for (SliceAudit.Slice slice : audit.slices()) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %s | %s | %s | %s | %s | %s | %s |%n",
                        cell(slice.value()),
                        slice.rates().reviewed(),
                        rate(slice.rates().precision()),
                        rate(slice.rates().recall()),
                        rate(slice.rates().falsePositiveRate()),
                        difference(
                                slice.rates().falsePositiveRate(), slice.rest().falsePositiveRate(), slice.fprVsRest()),
                        difference(slice.rates().recall(), slice.rest().recall(), slice.recallVsRest()),
                        verdict(slice),
                        slice.recommended()
                                .map(p -> String.format(Locale.ROOT, "%.4f", p.threshold()))
                                .orElse("-")));
            }
        }
        if (shadow != null) {
            shadow(out, shadow);
        }
        return out.toString();
    }

    private static void shadow(StringBuilder out, ShadowBySlice.Result shadow) {
        out.append("\n# The shadow policy by slice\n\n");
        if (shadow.since() == null) {
            out.append("No shadow result: no shadow policy has run, or it decided every upload as the live one did.\n");
            return;
        }
        out.append(String.format(
                Locale.ROOT,
                "Shadow policy version %s, since %s: %d uploads scored, %d decided differently.%n",
                String.join(", ", shadow.shadowVersions()),
                shadow.since(),
                shadow.uploads(),
                shadow.differing()));
        for (ShadowBySlice.LabelChanges label : shadow.labels()) {
            out.append(String.format(
                    Locale.ROOT, "%n## %s by %s%n%n", label.label().id(), label.key()));
            out.append("| slice | uploads | fires (live) | fires (shadow) | change | decisions changed | reviews"
                    + " | false-positive rate live -> shadow | recall live -> shadow |\n");
            out.append("|---|---|---|---|---|---|---|---|---|\n");
            for (ShadowBySlice.SliceChange slice : label.slices()) {
                out.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %s | %s | %+.3f (%+.3f to %+.3f) | %d | %d | %s -> %s | %s -> %s |%n",
                        cell(slice.value()),
                        slice.uploads(),
                        rate(slice.liveFires()),
                        rate(slice.shadowFires()),
                        slice.change().value(),
                        slice.change().low(),
                        slice.change().high(),
                        slice.changed(),
                        slice.liveReviewed().reviewed(),
                        rate(slice.liveReviewed().falsePositiveRate()),
                        rate(slice.shadowReviewed().falsePositiveRate()),
                        rate(slice.liveReviewed().recall()),
                        rate(slice.shadowReviewed().recall())));
            }
        }
    }

    private static String rate(Proportion p) {
        return p.defined()
                ? String.format(
                        Locale.ROOT, "%.3f [%.3f, %.3f] (%d/%d)", p.value(), p.low(), p.high(), p.hits(), p.total())
                : "n/a";
    }

    private static String difference(Proportion here, Proportion rest, Proportion.Difference d) {
        return here.defined() && rest.defined()
                ? String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", d.value(), d.low(), d.high())
                : "n/a";
    }

    private static String verdict(SliceAudit.Slice slice) {
        return switch (slice.verdict()) {
            case WITHIN -> "within";
            case TOO_FEW -> "**too few to judge**: " + cell(String.join("; ", slice.why()));
            case DIFFERS -> "**differs**: " + cell(String.join("; ", slice.why()));
        };
    }

    /** A value safe inside a Markdown table cell. */
    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
    }

    /** The two-sided confidence of {@code z} standard errors. */
    private static double confidence(double z) {
        return 2 * Target.normalCdf(z) - 1;
    }
}
