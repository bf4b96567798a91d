package io.clipguard.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.clipguard.policy.DecisionRule;
import io.clipguard.policy.Policy;
import java.io.IOException;
import java.util.Locale;

/**
 * Turns a tuning result into YAML: a short patch for people to read (new thresholds and temperature,
 * with the evidence for each as a comment) and the whole policy with the patch applied and its version
 * bumped, ready to publish to the policy topic.
 */
public final class PolicyPatch {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private PolicyPatch() {}

    /** The patch: thresholds (and temperature for softmax policies) with their evidence. */
    public static String patch(Policy policy, Tuner.Result result, Target target) {
        StringBuilder yaml = new StringBuilder()
                .append(String.format(
                        Locale.ROOT,
                        "# clipguard tune: %d reviewed uploads, target %s %.3f" + " (lower confidence bound, z=%.3f)%n",
                        result.reviewedUploads(),
                        target.metric().name().toLowerCase(Locale.ROOT),
                        target.value(),
                        target.z()))
                .append(String.format(
                        Locale.ROOT,
                        "# expected calibration error %.4f before, %.4f at temperature" + " x%.4f%n",
                        result.eceBefore(),
                        result.eceAfter(),
                        result.temperatureFactor()))
                .append("policy: ")
                .append(policy.id())
                .append('\n')
                .append("base_version: \"")
                .append(policy.version())
                .append("\"\n");
        if (policy.rule() == DecisionRule.SOFTMAX) {
            yaml.append(String.format(Locale.ROOT, "temperature: %.4f%n", result.temperature()));
        }
        yaml.append("labels:\n");
        for (Tuner.LabelTuning label : result.labels()) {
            yaml.append("  ").append(label.label().id()).append(":\n");
            if (label.recommended().isPresent()) {
                PrCurve.Point point = label.recommended().get();
                yaml.append(String.format(
                        Locale.ROOT,
                        "    threshold: %.6f   # was %.4f; precision %.3f, recall %.3f,"
                                + " F1 %.3f on %d reviews (%d apply)%n",
                        threshold(point),
                        label.label().threshold(),
                        point.precision(),
                        point.recall(),
                        point.f1(),
                        label.curve().positives() + label.curve().negatives(),
                        label.curve().positives()));
            } else {
                yaml.append(String.format(
                        Locale.ROOT,
                        "    threshold: %.4f   # unchanged: no threshold reaches the" + " target on %d reviews%n",
                        label.label().threshold(),
                        label.curve().positives() + label.curve().negatives()));
            }
        }
        return yaml.toString();
    }

    /** The policy YAML with the recommended thresholds and temperature applied and the version bumped. */
    public static String apply(String policyYaml, Policy policy, Tuner.Result result) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(policyYaml);
        root.put("version", nextVersion(policy.version()));
        if (policy.rule() == DecisionRule.SOFTMAX) {
            root.put("temperature", round(result.temperature()));
        }
        for (JsonNode label : root.path("labels")) {
            String id = label.path("id").asText();
            result.labels().stream()
                    .filter(tuning -> tuning.label().id().equals(id)
                            && tuning.recommended().isPresent())
                    .findFirst()
                    .ifPresent(tuning -> ((ObjectNode) label)
                            .put("threshold", threshold(tuning.recommended().get())));
        }
        return YAML.writeValueAsString(root);
    }

    /** The recommended score, rounded down so the reviewed score it came from still fires. */
    static double threshold(PrCurve.Point point) {
        return Math.floor(point.threshold() * 1e6) / 1e6;
    }

    static String nextVersion(String version) {
        return version.matches("\\d{1,9}") ? String.valueOf(Integer.parseInt(version) + 1) : version + ".1";
    }

    private static double round(double value) {
        return Math.round(value * 1e4) / 1e4;
    }
}
