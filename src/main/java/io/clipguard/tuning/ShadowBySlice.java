package io.clipguard.tuning;

import io.clipguard.policy.Action;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * How a shadow policy's decisions would differ from the live policy's, slice by slice, before it is
 * promoted. The job writes the shadow policy's result to the shadow topic only where it differs from
 * the live one, so an upload scored while the shadow ran and absent from that topic was decided alike.
 * The window starts at the first shadow result; live results before it are left out.
 *
 * <p>For every flagging label and value of a key: how often the label fires under each policy among
 * all uploads of the slice (with Wilson intervals and the interval of the change), how many decisions
 * change, and among the reviewed uploads of the slice, precision, recall and false-positive rate under
 * each. Stateless.
 */
public final class ShadowBySlice {

    /**
     * One slice of one label.
     *
     * @param value        the key's value, as {@link SliceAudit} names slices
     * @param uploads      uploads of the slice scored while the shadow ran
     * @param changed      of them, those whose decision on this label the shadow policy changes
     * @param liveFires    how often the label fires under the live policy
     * @param shadowFires  under the shadow policy
     * @param change       shadow minus live, with its interval
     * @param liveReviewed the live policy's rates on the slice's reviewed uploads
     * @param shadowReviewed the shadow policy's
     */
    public record SliceChange(
            String value,
            int uploads,
            int changed,
            Proportion liveFires,
            Proportion shadowFires,
            Proportion.Difference change,
            SliceAudit.Rates liveReviewed,
            SliceAudit.Rates shadowReviewed) {}

    /** A label's changes by one key. */
    public record LabelChanges(Label label, String key, List<SliceChange> slices) {}

    /**
     * @param since           the first shadow result, where the window starts; null when there is none
     * @param shadowVersions  the shadow policy versions seen
     * @param uploads         live results in the window
     * @param differing       of them, those the shadow policy decided differently
     * @param labels          per flagging label and key
     */
    public record Result(
            Instant since, List<String> shadowVersions, int uploads, int differing, List<LabelChanges> labels) {}

    private ShadowBySlice() {}

    public static Result compare(
            Policy live,
            List<ScoredUpload> liveResults,
            List<ScoredUpload> shadowResults,
            List<Review> reviews,
            List<String> keys,
            SliceAudit.Settings settings) {
        if (shadowResults.isEmpty()) {
            return new Result(null, List.of(), 0, 0, List.of());
        }
        Instant since = shadowResults.stream()
                .map(ScoredUpload::decidedAt)
                .min(Instant::compareTo)
                .orElseThrow();
        Map<String, ScoredUpload> shadow = new LinkedHashMap<>();
        shadowResults.forEach(result -> shadow.put(result.uploadId(), result));
        Map<String, ScoredUpload> window = new LinkedHashMap<>();
        for (ScoredUpload result : liveResults) {
            if (!result.decidedAt().isBefore(since)) {
                window.put(result.uploadId(), result);
            }
        }
        Map<String, Map<String, Boolean>> verdicts = new LinkedHashMap<>();
        for (ReviewedUpload reviewed : ReviewedUpload.join(List.copyOf(window.values()), reviews)) {
            verdicts.put(reviewed.scored().uploadId(), reviewed.verdicts());
        }
        List<LabelChanges> labels = new ArrayList<>();
        for (String key : keys) {
            for (Label label : live.labels()) {
                if (label.action() != Action.ALLOW) {
                    labels.add(changes(label, key, window, shadow, verdicts, settings));
                }
            }
        }
        int differing =
                (int) window.keySet().stream().filter(shadow::containsKey).count();
        List<String> versions = List.copyOf(new LinkedHashSet<>(
                shadowResults.stream().map(ScoredUpload::policyVersion).toList()));
        return new Result(since, versions, window.size(), differing, labels);
    }

    private static LabelChanges changes(
            Label label,
            String key,
            Map<String, ScoredUpload> window,
            Map<String, ScoredUpload> shadow,
            Map<String, Map<String, Boolean>> verdicts,
            SliceAudit.Settings settings) {
        Map<String, String> sliceOf = SliceAudit.sliceNames(
                window.values().stream()
                        .map(result -> result.attributes().getOrDefault(key, SliceAudit.NOT_SET))
                        .toList(),
                settings.maxValues());
        Map<String, Counts> bySlice = new LinkedHashMap<>();
        new LinkedHashSet<>(sliceOf.values()).forEach(slice -> bySlice.put(slice, new Counts()));
        for (ScoredUpload result : window.values()) {
            Double score = result.scores().get(label.id());
            if (score == null) {
                continue;
            }
            boolean liveFired = fired(label, result);
            ScoredUpload shadowResult = shadow.get(result.uploadId());
            boolean shadowFired = shadowResult == null ? liveFired : fired(label, shadowResult);
            Counts counts = bySlice.get(sliceOf.get(result.attributes().getOrDefault(key, SliceAudit.NOT_SET)));
            counts.uploads++;
            counts.liveFired += liveFired ? 1 : 0;
            counts.shadowFired += shadowFired ? 1 : 0;
            counts.changed += liveFired != shadowFired ? 1 : 0;
            Boolean applies = verdicts.getOrDefault(result.uploadId(), Map.of()).get(label.id());
            if (applies != null) {
                counts.live.add(new SliceAudit.Judged("", score, liveFired, applies));
                counts.shadow.add(new SliceAudit.Judged("", score, shadowFired, applies));
            }
        }
        List<SliceChange> slices = new ArrayList<>();
        bySlice.forEach((slice, counts) -> {
            Proportion liveFires = Proportion.wilson(counts.liveFired, counts.uploads, settings.z());
            Proportion shadowFires = Proportion.wilson(counts.shadowFired, counts.uploads, settings.z());
            slices.add(new SliceChange(
                    slice,
                    counts.uploads,
                    counts.changed,
                    liveFires,
                    shadowFires,
                    shadowFires.minus(liveFires),
                    SliceAudit.Rates.of(counts.live, settings.z()),
                    SliceAudit.Rates.of(counts.shadow, settings.z())));
        });
        return new LabelChanges(label, key, slices);
    }

    /** The label's decision as the result recorded it, else its score against the label's threshold. */
    private static boolean fired(Label label, ScoredUpload result) {
        Boolean recorded = result.fired().get(label.id());
        if (recorded != null) {
            return recorded;
        }
        Double score = result.scores().get(label.id());
        return score != null && score >= label.thresholdFor(result.attributes());
    }

    private static final class Counts {
        int uploads;
        int liveFired;
        int shadowFired;
        int changed;
        final List<SliceAudit.Judged> live = new ArrayList<>();
        final List<SliceAudit.Judged> shadow = new ArrayList<>();
    }
}
