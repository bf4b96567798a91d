package io.clipguard.tuning;

import java.time.Instant;
import java.util.Map;

/**
 * A reviewer's decision on one upload (a {@code ReviewDecision} event): for each label the reviewer
 * judged, whether it applies. Labels not judged are unknown and take no part in tuning.
 *
 * @param uploadId  the upload
 * @param verdicts  label id -> applies
 * @param reviewer  who decided, or null
 * @param decidedAt when; the latest review of an upload wins
 */
public record Review(String uploadId, Map<String, Boolean> verdicts, String reviewer, Instant decidedAt) {

    public Review {
        verdicts = Map.copyOf(verdicts);
    }
}
