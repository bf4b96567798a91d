package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SliceAuditTest {

    private static final Policy POLICY = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");
    private static final Target PRECISION = new Target(Target.Metric.PRECISION, 0.9, 1.645);

    @Test
    void findsThePlantedDisparityWithinItsIntervalAndNoneWhereNoneWasPlanted() {
        SliceAudit.LabelSlices bad = audit(POLICY, PlantedDisparity.generate());

        SliceAudit.Slice feed = slice(bad, "feed");
        assertEquals(SliceAudit.Verdict.DIFFERS, feed.verdict(), feed.why().toString());
        assertEquals(450, feed.rates().reviewed());
        assertEquals(
                PlantedDisparity.PLANTED_FPR, feed.rates().falsePositiveRate().value(), 1e-9);
        double planted = PlantedDisparity.PLANTED_FPR - PlantedDisparity.OTHER_FPR;
        assertTrue(
                feed.fprVsRest().low() <= planted && planted <= feed.fprVsRest().high(),
                "planted " + planted + " in " + feed.fprVsRest());
        assertTrue(
                feed.why().get(0).startsWith("false-positive rate 0.300 (90 of 300)"),
                feed.why().toString());

        for (String unplanted : List.of("profile", "messages")) {
            SliceAudit.Slice slice = slice(bad, unplanted);
            assertEquals(SliceAudit.Verdict.WITHIN, slice.verdict(), unplanted + ": " + slice.why());
        }
        SliceAudit.Slice kiosk = slice(bad, "kiosk");
        assertEquals(SliceAudit.Verdict.TOO_FEW, kiosk.verdict());
        assertEquals(5, kiosk.rates().reviewed());
        assertTrue(kiosk.why().get(0).startsWith("5 reviews here"), kiosk.why().toString());
        assertTrue(kiosk.recommended().isEmpty(), "no threshold is recommended on 5 reviews");
        assertEquals(0.8, feed.recommended().orElseThrow().threshold(), "above the feed's false alarms");
    }

    @Test
    void aSliceThresholdInThePolicyIsTheOneJudged() {
        Policy withSliceThreshold = PolicyLoader.parse(
                """
                id: synthetic
                version: 5
                rule: softmax
                labels:
                  - id: bad
                    prompts: [something bad]
                    action: block
                    threshold: 0.5
                    slice_thresholds:
                      - {attribute: surface, value: feed, threshold: 0.95}
                  - {id: neutral_a, prompts: [a thing], action: allow, threshold: 0.5}
                """,
                "synthetic.yaml");
        SliceAudit.Slice feed = slice(audit(withSliceThreshold, PlantedDisparity.generate()), "feed");
        assertEquals(0, feed.rates().falsePositiveRate().hits(), "nothing in the feed scores 0.95");
        assertEquals(0, feed.rates().recall().hits());
    }

    @Test
    void hostileAttributeValuesAreCutAndTheirNumberBounded() {
        List<ReviewedUpload> uploads = new ArrayList<>(PlantedDisparity.generate());
        String huge = "x".repeat(10_000) + "|\n";
        for (int i = 0; i < 500; i++) {
            String value = i == 0 ? "\u0007bell" : i == 1 ? huge : "cohort-" + i;
            uploads.add(new ReviewedUpload(
                    new ScoredUpload(
                            "h" + i, "4", Map.of("bad", 0.1), Map.of(), Map.of("surface", value), Instant.EPOCH),
                    Map.of("bad", false)));
        }
        uploads.add(
                new ReviewedUpload(new ScoredUpload("no-attributes", "4", Map.of("bad", 0.1)), Map.of("bad", false)));
        SliceAudit.Settings settings = new SliceAudit.Settings(0.05, 30, 1.96, 6);
        SliceAudit.LabelSlices bad = SliceAudit.audit(POLICY, uploads, List.of("surface"), settings, PRECISION)
                .get(0);

        assertEquals(7, bad.slices().size(), "6 values on their own and the rest merged");
        // by reviews, then by value: profile, messages, feed, kiosk, then of the 501 values reviewed once
        // "\u0007bell" (shown as "?bell") and "(not set)"; the other 499 are merged
        assertEquals(499, slice(bad, SliceAudit.OTHER_VALUES).rates().reviewed());
        slice(bad, "?bell");
        slice(bad, SliceAudit.NOT_SET);
        assertEquals(
                uploads.size(),
                bad.slices().stream().mapToInt(s -> s.rates().reviewed()).sum(),
                "every review in exactly one slice");
        bad.slices().forEach(s -> assertTrue(s.value().length() <= SliceAudit.MAX_VALUE_CHARS + 3, s.value()));
        String report = SliceReport.markdown(List.of(bad), null, settings);
        assertTrue(report.lines().allMatch(line -> line.length() < 2_000), "no line carries a huge value");
    }

    @Test
    void onlyFlaggingLabelsAreAuditedAndEachKeyOnItsOwn() {
        List<SliceAudit.LabelSlices> audits = SliceAudit.audit(
                POLICY,
                PlantedDisparity.generate(),
                List.of("surface", "locale"),
                SliceAudit.Settings.DEFAULTS,
                PRECISION);
        assertEquals(2, audits.size(), "bad by surface, bad by locale; the allow labels are not audited");
        SliceAudit.LabelSlices byLocale = audits.get(1);
        assertEquals("locale", byLocale.key());
        assertEquals(1, byLocale.slices().size());
        assertEquals(SliceAudit.NOT_SET, byLocale.slices().get(0).value());
        assertEquals(SliceAudit.Verdict.TOO_FEW, byLocale.slices().get(0).verdict(), "no rest to compare with");
    }

    private static SliceAudit.LabelSlices audit(Policy policy, List<ReviewedUpload> uploads) {
        return SliceAudit.audit(policy, uploads, List.of("surface"), SliceAudit.Settings.DEFAULTS, PRECISION)
                .get(0);
    }

    private static SliceAudit.Slice slice(SliceAudit.LabelSlices label, String value) {
        return label.slices().stream()
                .filter(s -> s.value().equals(value))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no slice " + value + " in " + label.slices()));
    }
}
