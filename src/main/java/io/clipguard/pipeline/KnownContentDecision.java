package io.clipguard.pipeline;

import io.clipguard.avro.KnownContentMatch;
import io.clipguard.avro.ModerationResult;
import io.clipguard.banks.BankMatch;
import java.util.List;
import java.util.Optional;

/**
 * How bank matches take precedence over the policy's decision, on a result whose labels and scores
 * the policy has already set (they stay, for tuning):
 *
 * <ol>
 *   <li>a {@code block} bank match: {@code block}, to the bank's queue, whatever else matched;
 *   <li>else an {@code allow} bank match (a known false match): {@code allow}, not flagged;
 *   <li>else a {@code review} bank match: {@code review} to the bank's queue, unless the policy
 *       decided {@code block};
 *   <li>else the policy's decision.
 * </ol>
 *
 * Where a bank decides, {@code deciding_label} is null and the deciding match is the first of
 * {@code bank_matches}, which holds the {@value #MAX_RECORDED} strongest matches.
 */
public final class KnownContentDecision {

    /** Matches recorded on a result, strongest first: a bank of near-duplicates must not swell every result. */
    static final int MAX_RECORDED = 10;

    private KnownContentDecision() {}

    public static void apply(ModerationResult.Builder result, List<BankMatch> matches) {
        result.setBankMatches(matches.stream()
                .limit(MAX_RECORDED)
                .map(KnownContentDecision::toAvro)
                .toList());
        Optional<BankMatch> strongest = matches.stream().findFirst(); // sorted strongest action first
        if (strongest.isEmpty()) {
            return;
        }
        BankMatch deciding = strongest.get();
        switch (deciding.action()) {
            case BLOCK -> decide(result, "block", deciding.queue());
            case ALLOW -> {
                result.setFlagged(false)
                        .setAction("allow")
                        .setDecidingLabel(null)
                        .setReviewQueue(null);
            }
            case REVIEW -> {
                if (!result.getAction().equals("block")) {
                    decide(result, "review", deciding.queue());
                }
            }
        }
    }

    private static void decide(ModerationResult.Builder result, String action, String queue) {
        result.setFlagged(true).setAction(action).setDecidingLabel(null).setReviewQueue(queue);
    }

    private static KnownContentMatch toAvro(BankMatch match) {
        return KnownContentMatch.newBuilder()
                .setBank(match.bank())
                .setAction(match.action().wireName())
                .setBankVersion(match.bankVersion())
                .setEntryId(match.entryId())
                .setDistance(match.distance())
                .setEntryQuality(match.entryQuality())
                .setMetadata(match.metadata())
                .build();
    }
}
