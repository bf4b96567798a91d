package io.clipguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyLoaderTest {

    private static final String VALID =
            """
            id: demo
            version: 3
            rule: cosine_margin
            templates: ["a photo of a {}.", "a {} shape."]
            labels:
              - id: red_star
                description: stand-in for a banned symbol
                names: [red star]
                prompts: [a star in red]
                action: block
                threshold: 0.3
                queue: symbols
              - id: cross
                names: [cross]
                action: review
                severity: 2
                threshold: 0.25
            """;

    @Test
    void expandsTemplatesWithNamesAfterExplicitPrompts() {
        Policy policy = PolicyLoader.parse(VALID, "test.yaml");
        assertEquals("demo", policy.id());
        assertEquals("3", policy.version());
        assertEquals(DecisionRule.COSINE_MARGIN, policy.rule());
        assertEquals(
                List.of("a star in red", "a photo of a red star.", "a red star shape."),
                policy.labels().get(0).prompts());
    }

    @Test
    void defaultsQueueToActionAndSeverityToActionRank() {
        Label cross = PolicyLoader.parse(VALID, "test.yaml").labels().get(1);
        assertEquals("review", cross.queue());
        assertEquals(2, cross.severity());
        Label star = PolicyLoader.parse(VALID, "test.yaml").labels().get(0);
        assertEquals(Action.BLOCK, star.action());
        assertEquals(3, star.severity());
        assertEquals("symbols", star.queue());
    }

    @Test
    void rule_defaultsToSoftmax() {
        Policy policy = PolicyLoader.parse(
                """
                id: p
                version: 1
                labels: [{id: a, prompts: [x], action: review, threshold: 0.5}]
                """,
                "p.yaml");
        assertEquals(DecisionRule.SOFTMAX, policy.rule());
    }

    @Test
    void threshold_outsideRangeNamesLabelAndField() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(VALID.replace("threshold: 0.3", "threshold: 1.7"), "test.yaml"));
        assertTrue(e.getMessage().contains("label 'red_star'"), e.getMessage());
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
    }

    @Test
    void threshold_negativeIsRefusedForSoftmax() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(
                        """
                id: p
                version: 1
                labels: [{id: a, prompts: [x], action: review, threshold: -0.1}]
                """,
                        "p.yaml"));
        assertTrue(e.getMessage().contains("outside [0.0, 1]"), e.getMessage());
    }

    @Test
    void action_unknownListsValidActions() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(VALID.replace("action: block", "action: delete"), "test.yaml"));
        assertTrue(e.getMessage().contains("label 'red_star': action"), e.getMessage());
        assertTrue(e.getMessage().contains("[allow, review, block]"), e.getMessage());
    }

    @Test
    void labels_duplicateIdIsRefused() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(VALID.replace("id: cross", "id: red_star"), "test.yaml"));
        assertTrue(e.getMessage().contains("defined twice"), e.getMessage());
    }

    @Test
    void prompts_missingIsRefused() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(
                        """
                id: p
                version: 1
                labels: [{id: a, action: review, threshold: 0.5}]
                """,
                        "p.yaml"));
        assertTrue(
                e.getMessage().contains("label 'a': needs at least one of 'prompts', 'names' or 'exemplars'"),
                e.getMessage());
    }

    @Test
    void version_missingIsRefused() {
        PolicyException e = assertThrows(
                PolicyException.class, () -> PolicyLoader.parse(VALID.replace("version: 3\n", ""), "test.yaml"));
        assertEquals("test.yaml: 'version' is required", e.getMessage());
    }

    @Test
    void yaml_brokenSaysSo() {
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.parse("id: [", "bad.yaml"));
        assertTrue(e.getMessage().startsWith("bad.yaml: not valid YAML"), e.getMessage());
    }

    @Test
    void template_withoutPlaceholderIsRefused() {
        PolicyException e = assertThrows(
                PolicyException.class,
                () -> PolicyLoader.parse(VALID.replace("\"a {} shape.\"", "\"a shape\""), "test.yaml"));
        assertTrue(e.getMessage().contains("has no {} placeholder"), e.getMessage());
    }
}
