package io.clipguard.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.Timings;
import io.clipguard.banks.BankAction;
import io.clipguard.banks.BankMatch;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bank matches over the policy's decision: block, then allow, then review, then the policy. */
class KnownContentDecisionTest {

    @Test
    void noMatchLeavesThePolicysDecision() {
        assertDecision(policy("review", "cross", "general"), List.of(), "review", true, "cross", "general");
    }

    @Test
    void aBlockBankBlocksWhateverElseMatched() {
        assertDecision(
                policy("allow", null, null),
                List.of(match(BankAction.BLOCK, "legal"), match(BankAction.ALLOW, "allow")),
                "block",
                true,
                null,
                "legal");
    }

    @Test
    void anAllowBankClearsThePolicysFlagAndAReviewBanksButNotABlockBanks() {
        assertDecision(
                policy("block", "red_star", "symbols"),
                List.of(match(BankAction.ALLOW, "allow"), match(BankAction.REVIEW, "watch")),
                "allow",
                false,
                null,
                null);
    }

    @Test
    void aReviewBankSendsToItsQueueUnlessThePolicyBlocks() {
        assertDecision(
                policy("allow", null, null), List.of(match(BankAction.REVIEW, "watch")), "review", true, null, "watch");
        assertDecision(
                policy("block", "red_star", "symbols"),
                List.of(match(BankAction.REVIEW, "watch")),
                "block",
                true,
                "red_star",
                "symbols");
    }

    private static void assertDecision(
            ModerationResult.Builder result,
            List<BankMatch> matches,
            String action,
            boolean flagged,
            String decidingLabel,
            String queue) {
        KnownContentDecision.apply(result, matches);
        ModerationResult built = result.build();
        assertEquals(action, built.getAction());
        assertEquals(flagged, built.getFlagged());
        assertEquals(decidingLabel, built.getDecidingLabel());
        assertEquals(queue, built.getReviewQueue());
        assertEquals(matches.size(), built.getBankMatches().size());
        if (!matches.isEmpty()) {
            assertEquals(matches.get(0).bank(), built.getBankMatches().get(0).getBank());
        } else {
            assertNull(built.getPdqHash());
        }
    }

    private static BankMatch match(BankAction action, String queue) {
        return new BankMatch(action.wireName() + "-bank", action, queue, "1", "e", 3, null, Map.of());
    }

    private static ModerationResult.Builder policy(String action, String label, String queue) {
        return ModerationResult.newBuilder()
                .setUploadId("u")
                .setFlagged(!action.equals("allow"))
                .setAction(action)
                .setDecidingLabel(label)
                .setReviewQueue(queue)
                .setLabels(List.of())
                .setModelId("m")
                .setModelVersion("1")
                .setPolicyId("p")
                .setPolicyVersion("1")
                .setUploadedAt(Instant.EPOCH)
                .setDecidedAt(Instant.EPOCH)
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0));
    }
}
