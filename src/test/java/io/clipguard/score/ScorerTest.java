package io.clipguard.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.clipguard.policy.SliceThreshold;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerTest {

    private static final float[] X = {1, 0, 0};
    private static final float[] Y = {0, 1, 0};
    private static final float[] Z = {0, 0, 1};

    private static Label label(String id, Action action, double threshold) {
        return new Label(id, "", List.of(id), action, action.ordinal() + 1, threshold, id + "-queue");
    }

    private static EmbeddedPolicy policy(DecisionRule rule, List<Label> labels, List<float[]> embeddings) {
        return new EmbeddedPolicy(new Policy("p", "1", rule, labels), "m", 100f, embeddings);
    }

    @Test
    void aSliceThresholdAppliesOnlyToTheUploadsOfItsSlice() {
        Label a = new Label(
                "a",
                "",
                List.of("a"),
                Action.REVIEW,
                2,
                0.5,
                "a-queue",
                List.of(),
                List.of(new SliceThreshold("surface", "profile", 0.9), new SliceThreshold("locale", "de", 0.1)));
        EmbeddedPolicy policy = policy(DecisionRule.COSINE_MARGIN, List.of(a), List.of(X));
        float[] image = {0.8f, 0.6f, 0};

        Decision everyone = new Scorer().score(policy, image, Map.of("surface", "feed"));
        assertTrue(everyone.scores().get(0).fired());
        assertEquals(0.5, everyone.scores().get(0).threshold());

        Decision profile = new Scorer().score(policy, image, Map.of("surface", "profile", "locale", "de"));
        assertFalse(profile.scores().get(0).fired(), "the first slice threshold that matches wins");
        assertEquals(0.9, profile.scores().get(0).threshold(), "the threshold applied is the one recorded");
        assertEquals(Action.ALLOW, profile.action());
    }

    @Test
    void cosineMarginFiresEachLabelOnItsOwnThreshold() {
        EmbeddedPolicy policy = policy(
                DecisionRule.COSINE_MARGIN,
                List.of(label("a", Action.REVIEW, 0.5), label("b", Action.BLOCK, 0.9)),
                List.of(X, Y));
        float[] image = {0.8f, 0.6f, 0};
        Decision decision = new Scorer().score(policy, image);
        assertEquals(0.8, decision.scores().get(0).score(), 1e-6);
        assertTrue(decision.scores().get(0).fired());
        assertFalse(decision.scores().get(1).fired());
        assertEquals(Action.REVIEW, decision.action());
        assertEquals("a", decision.deciding().orElseThrow().id());
        assertEquals("a-queue", decision.reviewQueue().orElseThrow());
    }

    @Test
    void softmaxScoresSumToOneAndNeutralLabelAbsorbsMass() {
        EmbeddedPolicy policy = policy(
                DecisionRule.SOFTMAX,
                List.of(label("bad", Action.BLOCK, 0.5), label("neutral", Action.ALLOW, 0.5)),
                List.of(X, Y));
        Decision decision = new Scorer().score(policy, Y);
        double sum = decision.scores().stream().mapToDouble(LabelScore::score).sum();
        assertEquals(1.0, sum, 1e-9);
        assertTrue(decision.scores().get(1).fired());
        assertFalse(decision.flagged(), "an allow label firing does not flag");
        assertEquals(Action.ALLOW, decision.action());
        assertTrue(decision.reviewQueue().isEmpty());
    }

    @Test
    void flagsWhenAnyLabelCrossesItsThresholdAndTheMostSevereActionDecides() {
        EmbeddedPolicy policy = policy(
                DecisionRule.COSINE_MARGIN,
                List.of(
                        label("review_me", Action.REVIEW, 0.1),
                        label("block_me", Action.BLOCK, 0.1),
                        label("other", Action.REVIEW, 0.1)),
                List.of(X, Y, Z));
        float[] image = {0.7f, 0.3f, 0.648f};
        Decision decision = new Scorer().score(policy, image);
        assertTrue(decision.flagged());
        assertEquals(Action.BLOCK, decision.action());
        assertEquals("block_me", decision.deciding().orElseThrow().id());
    }

    @Test
    void nothingFiresBelowThresholds() {
        EmbeddedPolicy policy = policy(DecisionRule.COSINE_MARGIN, List.of(label("a", Action.BLOCK, 0.95)), List.of(X));
        Decision decision = new Scorer().score(policy, Y);
        assertFalse(decision.flagged());
        assertTrue(decision.deciding().isEmpty());
    }

    @Test
    void promptEnsembleAveragesAndRenormalises() {
        Policy policy = new Policy(
                "p",
                "1",
                DecisionRule.COSINE_MARGIN,
                List.of(new Label("a", "", List.of("one", "two"), Action.REVIEW, 2, 0.5, "q")));
        EmbeddedPolicy embedded = EmbeddedPolicy.embed(policy, "m", 1f, prompts -> new float[][] {X, Y});
        float[] mean = embedded.labelEmbeddings().get(0);
        assertEquals(Math.sqrt(0.5), mean[0], 1e-6);
        assertEquals(Math.sqrt(0.5), mean[1], 1e-6);
    }

    @Test
    void anExemplarNearDuplicateScoresAsItsCosineToTheExemplar() {
        Policy policy = new Policy("p", "1", DecisionRule.COSINE_MARGIN, List.of(label("logo", Action.BLOCK, 0.95)));
        EmbeddedPolicy embedded = new EmbeddedPolicy(policy, "m", 100f, List.of(X), List.of(List.of(Y, Z)));
        Decision decision = new Scorer().score(embedded, new float[] {0, 0.3f, 0.954f});
        assertEquals(0.954, decision.scores().get(0).score(), 1e-6);
        assertTrue(decision.flagged());
    }

    @Test
    void temperatureSoftensSoftmaxScores() {
        List<Label> labels = List.of(label("bad", Action.BLOCK, 0.5), label("neutral", Action.ALLOW, 0.5));
        float[] image = {0.8f, 0.6f, 0};
        double sharp = new Scorer()
                .score(
                        new EmbeddedPolicy(
                                new Policy("p", "1", DecisionRule.SOFTMAX, labels, 1.0), "m", 10f, List.of(X, Y)),
                        image)
                .scores()
                .get(0)
                .score();
        double soft = new Scorer()
                .score(
                        new EmbeddedPolicy(
                                new Policy("p", "1", DecisionRule.SOFTMAX, labels, 2.0), "m", 10f, List.of(X, Y)),
                        image)
                .scores()
                .get(0)
                .score();
        assertEquals(1 / (1 + Math.exp(-2.0)), sharp, 1e-6);
        assertEquals(1 / (1 + Math.exp(-1.0)), soft, 1e-6);
    }
}
