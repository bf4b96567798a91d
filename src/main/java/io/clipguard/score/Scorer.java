package io.clipguard.score;

import io.clipguard.policy.Action;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Label;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scores an image embedding against an embedded policy and decides. Stateless and thread-safe.
 *
 * <p>A label's similarity is the largest cosine between the image and the label's reference embedding
 * or any of its exemplar images. Under the softmax rule the logit scale is divided by the policy's
 * temperature.
 *
 * <p>The deciding label is the fired label with the most severe action, then the highest severity,
 * then the largest margin over its threshold.
 */
public final class Scorer {

    private static final Comparator<LabelScore> MOST_SEVERE = Comparator.comparing(
                    (LabelScore s) -> s.label().action())
            .thenComparingInt(s -> s.label().severity())
            .thenComparingDouble(LabelScore::margin);

    /** Scores a unit-length image embedding; its dimension must match the policy's embeddings. */
    public Decision score(EmbeddedPolicy policy, float[] imageEmbedding) {
        return score(policy, imageEmbedding, Map.of());
    }

    /**
     * Scores an upload's embedding, comparing each label's score with the threshold for the upload's
     * attributes (a slice threshold where the policy sets one, else the label's).
     */
    public Decision score(EmbeddedPolicy policy, float[] imageEmbedding, Map<String, String> attributes) {
        double[] similarities = similarities(policy, imageEmbedding);
        double[] scores = policy.policy().rule() == DecisionRule.SOFTMAX
                ? Similarity.softmax(
                        similarities, policy.logitScale() / policy.policy().temperature())
                : similarities;
        List<LabelScore> labelScores = new ArrayList<>();
        List<Label> labels = policy.policy().labels();
        for (int i = 0; i < labels.size(); i++) {
            Label label = labels.get(i);
            double threshold = label.thresholdFor(attributes);
            labelScores.add(new LabelScore(label, scores[i], threshold, scores[i] >= threshold));
        }
        Optional<LabelScore> deciding =
                labelScores.stream().filter(LabelScore::fired).max(MOST_SEVERE);
        Action action = deciding.map(s -> s.label().action()).orElse(Action.ALLOW);
        return new Decision(labelScores, action, deciding.map(LabelScore::label));
    }

    /** Per label, the largest cosine to its reference embedding or to any of its exemplars. */
    static double[] similarities(EmbeddedPolicy policy, float[] imageEmbedding) {
        double[] similarities = Similarity.cosines(imageEmbedding, policy.labelEmbeddings());
        for (int i = 0; i < similarities.length; i++) {
            for (double exemplar : Similarity.cosines(
                    imageEmbedding, policy.exemplarEmbeddings().get(i))) {
                similarities[i] = Math.max(similarities[i], exemplar);
            }
        }
        return similarities;
    }
}
