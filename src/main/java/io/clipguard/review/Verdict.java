package io.clipguard.review;

import java.util.List;

/**
 * A reviewer's decision on an item.
 *
 * @param violation     true when the image breaks the policy
 * @param label         the label it breaks (required with {@code violation})
 * @param labels        every label the policy scored: a "no violation" says none of them applies
 * @param note          the reviewer's note, or null
 * @param policyId      the policy the upload was flagged under ...
 * @param policyVersion ... and its version
 */
public record Verdict(
        boolean violation, String label, List<String> labels, String note, String policyId, String policyVersion) {

    public Verdict {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
