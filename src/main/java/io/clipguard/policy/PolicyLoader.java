package io.clipguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a policy file (YAML). Every error names the source, the label and the field.
 *
 * <pre>
 * id: starter
 * version: "7"
 * rule: softmax              # or cosine_margin
 * templates: ["a photo of {}."]   # applied to each label's names
 * labels:
 *   - id: weapons
 *     description: Firearms and knives shown as weapons.
 *     names: [a gun, a rifle]     # expanded with the templates
 *     prompts: [a person aiming a gun]   # used as they are
 *     action: review               # allow | review | block
 *     severity: 3                  # 1..5
 *     threshold: 0.6
 *     queue: weapons
 * </pre>
 */
public final class PolicyLoader {

    private static final Pattern LABEL_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyLoader() {
    }

    /** Loads a policy file; throws {@link PolicyException} naming the file and the problem. */
    public static Policy load(Path file) {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses policy text; {@code source} names it in error messages. */
    public static Policy parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new PolicyException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException(source + ": a policy must be a YAML mapping with id, version and labels");
        }
        String where = source + ": ";
        String id = requiredText(root, "id", where);
        String version = requiredText(root, "version", where);
        DecisionRule rule = parseRule(root, where);
        List<String> templates = stringList(root.get("templates"), where + "templates");
        JsonNode labelNodes = root.get("labels");
        if (labelNodes == null || !labelNodes.isArray() || labelNodes.isEmpty()) {
            throw new PolicyException(where + "'labels' must be a non-empty list");
        }
        List<Label> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labelNodes.size(); i++) {
            Label label = parseLabel(labelNodes.get(i), i, rule, templates, where);
            if (!seen.add(label.id())) {
                throw new PolicyException(where + "label '" + label.id() + "' is defined twice");
            }
            labels.add(label);
        }
        return new Policy(id, version, rule, labels);
    }

    private static DecisionRule parseRule(JsonNode root, String where) {
        JsonNode node = root.get("rule");
        if (node == null) {
            return DecisionRule.SOFTMAX;
        }
        try {
            return DecisionRule.parse(node.asText());
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + "rule: " + e.getMessage());
        }
    }

    private static Label parseLabel(JsonNode node, int index, DecisionRule rule, List<String> policyTemplates,
                                    String source) {
        if (node == null || !node.isObject()) {
            throw new PolicyException(source + "labels[" + index + "] must be a mapping");
        }
        String id = requiredText(node, "id", source + "labels[" + index + "]: ");
        if (!LABEL_ID.matcher(id).matches()) {
            throw new PolicyException(source + "label '" + id + "': id must match " + LABEL_ID.pattern());
        }
        String where = source + "label '" + id + "': ";
        Action action = parseAction(node, where);
        double threshold = parseThreshold(node, rule, where);
        int severity = node.has("severity") ? node.get("severity").asInt(-1) : action.ordinal() + 1;
        if (severity < 1 || severity > 5) {
            throw new PolicyException(where + "severity must be an integer from 1 to 5, got " + node.get("severity"));
        }
        List<String> prompts = expandPrompts(node, policyTemplates, where);
        String description = node.path("description").asText("");
        String queue = node.path("queue").asText(action.wireName());
        return new Label(id, description, prompts, action, severity, threshold, queue);
    }

    private static Action parseAction(JsonNode node, String where) {
        try {
            return Action.parse(requiredText(node, "action", where));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + "action: " + e.getMessage());
        }
    }

    private static double parseThreshold(JsonNode node, DecisionRule rule, String where) {
        JsonNode value = node.get("threshold");
        if (value == null || !value.isNumber()) {
            throw new PolicyException(where + "threshold must be a number, got " + value);
        }
        double threshold = value.asDouble();
        double min = rule == DecisionRule.SOFTMAX ? 0.0 : -1.0;
        if (threshold < min || threshold > 1.0) {
            throw new PolicyException(where + "threshold " + threshold + " is outside [" + min + ", 1] for rule "
                    + rule.name().toLowerCase());
        }
        return threshold;
    }

    private static List<String> expandPrompts(JsonNode node, List<String> policyTemplates, String where) {
        List<String> templates = node.has("templates")
                ? stringList(node.get("templates"), where + "templates") : policyTemplates;
        Set<String> prompts = new LinkedHashSet<>(stringList(node.get("prompts"), where + "prompts"));
        for (String name : stringList(node.get("names"), where + "names")) {
            if (templates.isEmpty()) {
                prompts.add(name);
            }
            for (String template : templates) {
                if (!template.contains("{}")) {
                    throw new PolicyException(where + "template '" + template + "' has no {} placeholder");
                }
                prompts.add(template.replace("{}", name));
            }
        }
        if (prompts.isEmpty()) {
            throw new PolicyException(where + "needs at least one of 'prompts' or 'names'");
        }
        return List.copyOf(prompts);
    }

    private static List<String> stringList(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new PolicyException(where + " must be a list of strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.asText().isBlank()) {
                throw new PolicyException(where + " must contain only non-empty strings, got " + item);
            }
            values.add(item.asText().trim());
        }
        return values;
    }

    private static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
            throw new PolicyException(where + "'" + field + "' is required");
        }
        return value.asText().trim();
    }
}
