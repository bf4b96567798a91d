package io.clipguard.tuning;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One upload's scores as the moderation job wrote them (a {@code moderation.scored} record).
 *
 * @param uploadId      the upload
 * @param policyVersion the policy version that scored it
 * @param scores        every label's score, in policy order
 */
public record ScoredUpload(String uploadId, String policyVersion, Map<String, Double> scores) {

    public ScoredUpload {
        scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }
}
