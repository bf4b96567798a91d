package io.clipguard.tuning;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipguard.score.Similarity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic scored uploads with review decisions. A reviewer says "bad" with the probability that the
 * cosines give at a 2.5x softer logit scale than the one that scored them, so the scores are
 * overconfident (as zero-shot CLIP's are) and a temperature of 2.5 calibrates them exactly.
 */
public final class SyntheticReviews {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String POLICY =
            """
            id: synthetic
            version: 4
            rule: softmax
            labels:
              - {id: bad, prompts: [something bad], action: block, threshold: 0.5}
              - {id: neutral_a, prompts: [a thing], action: allow, threshold: 0.5}
              - {id: neutral_b, prompts: [another thing], action: allow, threshold: 0.5}
            """;

    static final double MODEL_SCALE = 100;
    static final double TRUE_TEMPERATURE = 2.5;

    private SyntheticReviews() {}

    public static List<ReviewedUpload> generate(int count, long seed) {
        Random random = new Random(seed);
        List<ReviewedUpload> uploads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] cosines = {
                0.25 + 0.05 * random.nextGaussian(),
                0.25 + 0.02 * random.nextGaussian(),
                0.25 + 0.02 * random.nextGaussian()
            };
            // the truth follows the same cosines at a 2.5x softer scale: the scores are overconfident
            boolean bad = random.nextDouble() < Similarity.softmax(cosines, MODEL_SCALE / TRUE_TEMPERATURE)[0];
            double[] scores = Similarity.softmax(cosines, MODEL_SCALE);
            Map<String, Double> byLabel = new LinkedHashMap<>();
            byLabel.put("bad", scores[0]);
            byLabel.put("neutral_a", scores[1]);
            byLabel.put("neutral_b", scores[2]);
            uploads.add(new ReviewedUpload(new ScoredUpload("u" + seed + "-" + i, "4", byLabel), Map.of("bad", bad)));
        }
        return uploads;
    }

    static Review review(ReviewedUpload upload) {
        return new Review(upload.scored().uploadId(), upload.verdicts(), "synthetic", Instant.EPOCH);
    }

    /** Writes scored results (or shadow results) as the JSON lines {@code clipguard tune} reads. */
    public static void writeScored(List<ScoredUpload> results, Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (ScoredUpload result : results) {
            lines.add(scoredLine(result));
        }
        Files.write(file, lines);
    }

    private static String scoredLine(ScoredUpload scored) throws Exception {
        ObjectNode line = JSON.createObjectNode()
                .put("upload_id", scored.uploadId())
                .put("policy_version", scored.policyVersion())
                .put("decided_at", scored.decidedAt().toString());
        scored.scores().forEach((label, score) -> {
            ObjectNode labelScore =
                    line.withArray("labels").addObject().put("label", label).put("score", score);
            if (scored.fired().containsKey(label)) {
                labelScore.put("fired", scored.fired().get(label));
            }
        });
        scored.attributes().forEach((key, value) -> line.with("attributes").put(key, value));
        return JSON.writeValueAsString(line);
    }

    /** Writes the uploads' scores and reviews as the JSON lines {@code clipguard tune} reads. */
    public static void writeJsonLines(List<ReviewedUpload> uploads, Path scored, Path reviews) throws Exception {
        List<String> scoredLines = new ArrayList<>();
        List<String> reviewLines = new ArrayList<>();
        for (ReviewedUpload upload : uploads) {
            scoredLines.add(scoredLine(upload.scored()));
            ObjectNode review = JSON.createObjectNode()
                    .put("upload_id", upload.scored().uploadId())
                    .put("reviewer", "synthetic")
                    .put("decided_at", "2026-11-23T04:00:00Z");
            upload.verdicts().forEach((label, applies) -> review.withArray("verdicts")
                    .addObject()
                    .put("label", label)
                    .put("applies", applies));
            reviewLines.add(JSON.writeValueAsString(review));
        }
        Files.write(scored, scoredLines);
        Files.write(reviews, reviewLines);
    }
}
