package io.clipguard.tuning;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scored upload joined with its review.
 *
 * @param scored   the scores
 * @param verdicts label id -> applies, for the labels the reviewer judged
 */
public record ReviewedUpload(ScoredUpload scored, Map<String, Boolean> verdicts) {

    public ReviewedUpload {
        verdicts = Map.copyOf(verdicts);
    }

    /**
     * Joins scores with reviews by upload id. An upload scored more than once keeps its last score;
     * an upload reviewed more than once keeps its latest review; unreviewed uploads are dropped.
     */
    public static List<ReviewedUpload> join(List<ScoredUpload> scored, List<Review> reviews) {
        Map<String, Review> latest = new LinkedHashMap<>();
        for (Review review : reviews) {
            latest.merge(review.uploadId(), review, (a, b) -> b.decidedAt().isBefore(a.decidedAt()) ? a : b);
        }
        Map<String, ScoredUpload> lastScore = new LinkedHashMap<>();
        scored.forEach(upload -> lastScore.put(upload.uploadId(), upload));
        List<ReviewedUpload> joined = new ArrayList<>();
        for (ScoredUpload upload : lastScore.values()) {
            Review review = latest.get(upload.uploadId());
            if (review != null) {
                joined.add(new ReviewedUpload(upload, review.verdicts()));
            }
        }
        return joined;
    }
}
