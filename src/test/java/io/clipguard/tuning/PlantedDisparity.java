package io.clipguard.tuning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reviewed uploads with a known disparity planted in one slice of {@code surface}: the label
 * {@code bad} (threshold 0.5 in {@link SyntheticReviews#POLICY}) wrongly fires on 30% of the
 * {@code feed} slice's harmless uploads and on 5% of everyone else's; recall is 0.8 everywhere. The
 * {@code kiosk} slice has 5 reviews. The false alarms score 0.6 and the true ones 0.8, so a threshold
 * of 0.8 would separate them. Exact counts, not samples: the planted rates are the measured ones.
 */
public final class PlantedDisparity {

    public static final double PLANTED_FPR = 0.30;
    public static final double OTHER_FPR = 0.05;
    public static final double RECALL = 0.8;

    private PlantedDisparity() {}

    public static List<ReviewedUpload> generate() {
        List<ReviewedUpload> uploads = new ArrayList<>();
        slice(uploads, "feed", 300, 150, PLANTED_FPR);
        slice(uploads, "profile", 2000, 1000, OTHER_FPR);
        slice(uploads, "messages", 2000, 1000, OTHER_FPR);
        slice(uploads, "kiosk", 3, 2, OTHER_FPR);
        return uploads;
    }

    private static void slice(List<ReviewedUpload> out, String surface, int negatives, int positives, double fpr) {
        int falsePositives = (int) Math.round(negatives * fpr);
        for (int i = 0; i < negatives; i++) {
            out.add(upload(surface, out.size(), i < falsePositives ? 0.6 : 0.1, false));
        }
        int truePositives = (int) Math.round(positives * RECALL);
        for (int i = 0; i < positives; i++) {
            out.add(upload(surface, out.size(), i < truePositives ? 0.8 : 0.2, true));
        }
    }

    private static ReviewedUpload upload(String surface, int n, double score, boolean bad) {
        ScoredUpload scored = new ScoredUpload(
                "p" + n,
                "4",
                Map.of("bad", score),
                Map.of("bad", score >= 0.5),
                Map.of("surface", surface),
                Instant.ofEpochSecond(1_800_000_000L + n));
        return new ReviewedUpload(scored, Map.of("bad", bad));
    }
}
