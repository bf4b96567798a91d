package io.clipguard.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads scored results and review decisions from JSON-lines files, for offline tuning. Field names are
 * those of the Avro schemas ({@code ModerationResult}, {@code ReviewDecision}); the output of
 * {@code clipguard score} works too (its {@code image} stands in for the upload id).
 *
 * <pre>
 * {"upload_id": "u1", "policy_version": "1", "labels": [{"label": "red_star", "score": 0.93}, ...],
 *  "attributes": {"surface": "profile"}}
 * {"upload_id": "u1", "verdicts": [{"label": "red_star", "applies": true}], "reviewer": "ana",
 *  "decided_at": "2026-11-23T04:00:00Z"}
 * </pre>
 */
public final class JsonLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    public static List<ScoredUpload> readScored(Path file) throws IOException {
        List<ScoredUpload> scored = new ArrayList<>();
        for (JsonNode line : lines(file)) {
            Map<String, Double> scores = new LinkedHashMap<>();
            Map<String, Boolean> fired = new LinkedHashMap<>();
            for (JsonNode label : line.path("labels")) {
                scores.put(label.path("label").asText(), label.path("score").asDouble());
                if (label.has("fired")) {
                    fired.put(label.path("label").asText(), label.get("fired").asBoolean());
                }
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            line.path("attributes")
                    .fields()
                    .forEachRemaining(
                            e -> attributes.put(e.getKey(), e.getValue().asText()));
            String id = line.hasNonNull("upload_id")
                    ? line.get("upload_id").asText()
                    : line.path("image").asText();
            scored.add(new ScoredUpload(
                    id, line.path("policy_version").asText(""), scores, fired, attributes, instant(line)));
        }
        return scored;
    }

    public static List<Review> readReviews(Path file) throws IOException {
        List<Review> reviews = new ArrayList<>();
        for (JsonNode line : lines(file)) {
            Map<String, Boolean> verdicts = new LinkedHashMap<>();
            line.path("verdicts")
                    .forEach(v -> verdicts.put(
                            v.path("label").asText(), v.path("applies").asBoolean()));
            reviews.add(new Review(
                    line.path("upload_id").asText(),
                    verdicts,
                    line.hasNonNull("reviewer") ? line.get("reviewer").asText() : null,
                    instant(line)));
        }
        return reviews;
    }

    /** {@code decided_at} as epoch milliseconds or ISO-8601 text; the epoch when absent. */
    private static Instant instant(JsonNode line) {
        JsonNode at = line.path("decided_at");
        return at.isNumber()
                ? Instant.ofEpochMilli(at.asLong())
                : at.isTextual() ? Instant.parse(at.asText()) : Instant.EPOCH;
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            try {
                nodes.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new IOException(
                        file + ":" + number + ": not a JSON object: "
                                + e.getMessage().lines().findFirst().orElse(""),
                        e);
            }
        }
        return nodes;
    }
}
