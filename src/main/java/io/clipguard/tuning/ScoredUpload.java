package io.clipguard.tuning;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upload's scores as the moderation job wrote them (a {@code moderation.scored} record, or a
 * {@code moderation.shadow} one for the shadow policy).
 *
 * @param uploadId      the upload
 * @param policyVersion the policy version that scored it
 * @param scores        every label's score, in policy order
 * @param fired         every label's decision as recorded (score at or above the threshold it was given)
 * @param attributes    the upload's attributes, as the event carried them: what slices are made of
 * @param decidedAt     when the job scored it, or {@link Instant#EPOCH} when not known
 */
public record ScoredUpload(
        String uploadId,
        String policyVersion,
        Map<String, Double> scores,
        Map<String, Boolean> fired,
        Map<String, String> attributes,
        Instant decidedAt) {

    public ScoredUpload {
        scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
        fired = Map.copyOf(fired);
        attributes = Map.copyOf(attributes);
    }

    /** Scores only, as a file of scores without decisions or attributes gives them. */
    public ScoredUpload(String uploadId, String policyVersion, Map<String, Double> scores) {
        this(uploadId, policyVersion, scores, Map.of(), Map.of(), Instant.EPOCH);
    }
}
