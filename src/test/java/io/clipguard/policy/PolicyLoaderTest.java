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
    void sliceThresholdsAreAnExplicitChoicePerLabel() {
        Policy policy = PolicyLoader.parse(
                """
                id: p
                version: 1
                rule: cosine_margin
                labels:
                  - id: nudity
                    prompts: [a nude photo]
                    action: review
                    threshold: 0.3
                    slice_thresholds:
                      - {attribute: surface, value: profile_photo, threshold: 0.35}
                      - {attribute: age_band, value: 18, threshold: 0.32}
                  - {id: cross, prompts: [a cross], action: review, threshold: 0.25}
                """,
                "test.yaml");
        Label nudity = policy.labels().get(0);
        assertEquals(
                List.of(
                        new SliceThreshold("surface", "profile_photo", 0.35),
                        new SliceThreshold("age_band", "18", 0.32)),
                nudity.sliceThresholds());
        assertEquals(0.35, nudity.thresholdFor(java.util.Map.of("surface", "profile_photo")));
        assertEquals(0.3, nudity.thresholdFor(java.util.Map.of("surface", "feed")));
        assertEquals(0.35, nudity.withThreshold(0.4).thresholdFor(java.util.Map.of("surface", "profile_photo")));
        assertTrue(policy.labels().get(1).sliceThresholds().isEmpty(), "the default is one threshold");
    }

    @Test
    void badSliceThresholdsNameTheLabelAndTheEntry() {
        String template =
                """
                id: p
                version: 1
                rule: softmax
                labels:
                  - id: nudity
                    prompts: [a nude photo]
                    action: review
                    threshold: 0.3
                    slice_thresholds: %s
                  - {id: other, prompts: [a cat], action: allow, threshold: 0.5}
                """;
        for (String[] bad : new String[][] {
            {"{surface: profile}", "slice_thresholds must be a list"},
            {"[{attribute: surface, threshold: 0.4}]", "slice_thresholds[0]: value must be"},
            {"[{value: x, threshold: 0.4}]", "slice_thresholds[0]: "},
            {"[{attribute: surface, value: x, threshold: 1.5}]", "threshold 1.5 is outside"},
            {"[{attribute: surface, value: x, threshold: high}]", "threshold must be a number"},
            {
                "[{attribute: s, value: x, threshold: 0.4}, {attribute: s, value: x, threshold: 0.5}]",
                "s=x is given twice"
            },
            {"[{attribute: surface, value: [a, b], threshold: 0.4}]", "value must be"}
        }) {
            PolicyException e = assertThrows(
                    PolicyException.class, () -> PolicyLoader.parse(template.formatted(bad[0]), "test.yaml"), bad[0]);
            assertTrue(e.getMessage().contains("label 'nudity'"), e.getMessage());
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
        }
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
