package io.clipguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShippedPoliciesTest {

    @Test
    void tinyShapesKeepsTheLabelIdsTheDemoAndTestsUse() {
        Policy policy = PolicyLoader.load(Path.of("deploy/policies/tiny-shapes.yaml"));
        assertEquals(
                List.of("red_star", "cross", "star", "circle", "square", "triangle"),
                policy.labels().stream().map(Label::id).toList());
    }

    @Test
    void starterPolicyCoversTheCoreCategoriesWithEnsemblesAndCounterLabels() {
        Policy policy = PolicyLoader.load(Path.of("deploy/policies/starter-vit-b-32.yaml"));
        List<String> ids = policy.labels().stream().map(Label::id).toList();
        assertTrue(
                ids.containsAll(List.of(
                        "sexual_explicit", "graphic_violence", "weapons", "drugs", "self_harm", "hate_symbols")),
                ids.toString());
        assertEquals(DecisionRule.SOFTMAX, policy.rule());
        assertTrue(
                policy.labels().stream().filter(l -> l.action() == Action.ALLOW).count() >= 8, "counter-labels");
        assertTrue(policy.labels().stream().allMatch(l -> l.prompts().size() >= 7), "every label is an ensemble");
    }
}
