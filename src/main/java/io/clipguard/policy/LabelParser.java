package io.clipguard.policy;

import static io.clipguard.policy.YamlFields.requiredText;
import static io.clipguard.policy.YamlFields.stringList;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses and validates one label of a policy file; errors name the label and the field. */
final class LabelParser {

    private static final Pattern LABEL_ID = Pattern.compile("[a-z0-9][a-z0-9_.-]*");

    private final DecisionRule rule;
    private final List<String> policyTemplates;
    private final Path baseDir;
    private final String source;

    /**
     * @param baseDir where exemplar paths are resolved (the policy file's directory)
     * @param source  names the policy in error messages, ending in ": "
     */
    LabelParser(DecisionRule rule, List<String> policyTemplates, Path baseDir, String source) {
        this.rule = rule;
        this.policyTemplates = policyTemplates;
        this.baseDir = baseDir;
        this.source = source;
    }

    Label parse(JsonNode node, int index) {
        if (node == null || !node.isObject()) {
            throw new PolicyException(source + "labels[" + index + "] must be a mapping");
        }
        String id = requiredText(node, "id", source + "labels[" + index + "]: ");
        if (!LABEL_ID.matcher(id).matches()) {
            throw new PolicyException(source + "label '" + id + "': id must match " + LABEL_ID.pattern());
        }
        String where = source + "label '" + id + "': ";
        Action action = parseAction(node, where);
        double threshold = parseThreshold(node, where);
        int severity = node.has("severity") ? node.get("severity").asInt(-1) : action.ordinal() + 1;
        if (severity < 1 || severity > 5) {
            throw new PolicyException(where + "severity must be an integer from 1 to 5, got " + node.get("severity"));
        }
        List<String> prompts = expandPrompts(node, where);
        List<Path> exemplars = exemplars(node, where);
        if (prompts.isEmpty() && exemplars.isEmpty()) {
            throw new PolicyException(where + "needs at least one of 'prompts', 'names' or 'exemplars'");
        }
        String description = node.path("description").asText("");
        String queue = node.path("queue").asText(action.wireName());
        List<SliceThreshold> slices = sliceThresholds(node.get("slice_thresholds"), where);
        return new Label(id, description, prompts, action, severity, threshold, queue, exemplars, slices);
    }

    /**
     * {@code slice_thresholds}: a list of {@code {attribute, value, threshold}}, each threshold in the
     * rule's range, no attribute and value twice.
     */
    private List<SliceThreshold> sliceThresholds(JsonNode list, String where) {
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw new PolicyException(where + "slice_thresholds must be a list of {attribute, value, threshold}");
        }
        List<SliceThreshold> slices = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String at = where + "slice_thresholds[" + i + "]: ";
            if (!node.isObject()) {
                throw new PolicyException(at + "must be a mapping of attribute, value and threshold");
            }
            String attribute = requiredText(node, "attribute", at);
            JsonNode value = node.get("value");
            if (value == null || !value.isValueNode() || value.isNull()) {
                throw new PolicyException(at + "value must be the attribute's value, got " + value);
            }
            if (!seen.add(attribute + "=" + value.asText())) {
                throw new PolicyException(at + attribute + "=" + value.asText() + " is given twice");
            }
            slices.add(new SliceThreshold(attribute, value.asText(), parseThreshold(node, at)));
        }
        return slices;
    }

    private static Action parseAction(JsonNode node, String where) {
        try {
            return Action.parse(requiredText(node, "action", where));
        } catch (IllegalArgumentException e) {
            throw new PolicyException(where + "action: " + e.getMessage());
        }
    }

    private double parseThreshold(JsonNode node, String where) {
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

    private List<String> expandPrompts(JsonNode node, String where) {
        List<String> templates =
                node.has("templates") ? stringList(node.get("templates"), where + "templates") : policyTemplates;
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
        return List.copyOf(prompts);
    }

    private List<Path> exemplars(JsonNode node, String where) {
        List<Path> files = new ArrayList<>();
        for (String name : stringList(node.get("exemplars"), where + "exemplars")) {
            Path file = baseDir.resolve(name).normalize();
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new PolicyException(where + "exemplars: image " + file + " does not exist or cannot be read"
                        + " (paths are relative to the policy file)");
            }
            files.add(file);
        }
        return files;
    }
}
