package io.clipguard.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShadowBySliceTest {

    private static final Policy POLICY = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");

    @Test
    void showsWhereTheShadowPolicysDecisionsWouldChangeSliceBySlice() {
        List<ReviewedUpload> planted = PlantedDisparity.generate();
        List<ScoredUpload> live = planted.stream().map(ReviewedUpload::scored).toList();
        List<Review> reviews = planted.stream().map(SyntheticReviews::review).toList();
        // a shadow policy with a higher threshold for the feed: there it stops firing on the 0.8s and 0.9s
        List<ScoredUpload> shadow = new ArrayList<>();
        for (ScoredUpload upload : live) {
            if (upload.attributes().get("surface").equals("feed")
                    && upload.fired().get("bad")) {
                shadow.add(new ScoredUpload(
                        upload.uploadId(),
                        "5",
                        upload.scores(),
                        Map.of("bad", false),
                        upload.attributes(),
                        upload.decidedAt()));
            }
        }
        // scored before the shadow policy ran: left out of the window
        List<ScoredUpload> withEarlier = new ArrayList<>(live);
        withEarlier.add(new ScoredUpload(
                "early", "4", Map.of("bad", 0.9), Map.of("bad", true), Map.of("surface", "feed"), Instant.EPOCH));

        ShadowBySlice.Result result = ShadowBySlice.compare(
                POLICY, withEarlier, shadow, reviews, List.of("surface"), SliceAudit.Settings.DEFAULTS);

        assertEquals(List.of("5"), result.shadowVersions());
        assertEquals(live.size(), result.uploads(), "the upload scored before the first shadow result is left out");
        assertEquals(90 + 120, result.differing());
        ShadowBySlice.SliceChange feed = slice(result, "feed");
        assertEquals(210, feed.changed());
        assertEquals(0, feed.shadowFires().hits());
        assertEquals(-210.0 / 450, feed.change().value(), 1e-9);
        assertTrue(feed.change().excludesZero());
        assertEquals(90, feed.liveReviewed().falsePositiveRate().hits());
        assertEquals(0, feed.shadowReviewed().falsePositiveRate().hits());
        assertEquals(0, feed.shadowReviewed().recall().hits(), "the shadow policy loses the feed's recall too");
        ShadowBySlice.SliceChange profile = slice(result, "profile");
        assertEquals(0, profile.changed());
        assertEquals(profile.liveFires(), profile.shadowFires());

        String report = SliceReport.markdown(List.of(), result, SliceAudit.Settings.DEFAULTS);
        assertTrue(report.contains("| feed | 450 |"), report);
    }

    @Test
    void noShadowResultsIsSaidSo() {
        ShadowBySlice.Result result = ShadowBySlice.compare(
                POLICY, List.of(), List.of(), List.of(), List.of("surface"), SliceAudit.Settings.DEFAULTS);
        assertNull(result.since());
        assertTrue(SliceReport.markdown(List.of(), result, SliceAudit.Settings.DEFAULTS)
                .contains("No shadow result"));
    }

    private static ShadowBySlice.SliceChange slice(ShadowBySlice.Result result, String value) {
        return result.labels().get(0).slices().stream()
                .filter(s -> s.value().equals(value))
                .findFirst()
                .orElseThrow();
    }
}
