package io.clipguard.policy;

import static io.clipguard.policy.YamlFields.requiredText;
import static io.clipguard.policy.YamlFields.stringList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and validates a policy file (YAML). Every error names the source, the label and the field.
 *
 * <pre>
 * id: starter
 * version: "7"
 * rule: softmax              # or cosine_margin
 * temperature: 1.0           # softmax only: divides the logit scale; fitted by `clipguard tune`
 * templates: ["a photo of {}."]   # applied to each label's names
 * labels:
 *   - id: weapons
 *     description: Firearms and knives shown as weapons.
 *     names: [a gun, a rifle]     # expanded with the templates
 *     prompts: [a person aiming a gun]   # used as they are
 *     exemplars: [examples/rifle-1.jpg]  # example images, relative to the policy file
 *     action: review               # allow | review | block
 *     severity: 3                  # 1..5
 *     threshold: 0.6
 *     queue: weapons
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class PolicyLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private PolicyLoader() {}

    /** Loads a policy file; exemplar paths are relative to its directory. */
    public static Policy load(Path file) {
        try {
            return parse(Files.readString(file), file.toString(), baseDirOf(file));
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses policy text; {@code source} names it in error messages; exemplars resolve against the working directory. */
    public static Policy parse(String yaml, String source) {
        return parse(yaml, source, Path.of(""));
    }

    /**
     * Parses policy text.
     *
     * @param source  names the text in error messages (a file name, a topic and offset)
     * @param baseDir where exemplar image paths are resolved
     * @throws PolicyException naming the source, the label and the field
     */
    public static Policy parse(String yaml, String source, Path baseDir) {
        JsonNode root = readTree(yaml, source);
        String where = source + ": ";
        String id = requiredText(root, "id", where);
        String version = requiredText(root, "version", where);
        DecisionRule rule = parseRule(root, where);
        double temperature = YamlFields.number(root, "temperature", 1.0, where);
        if (!(temperature > 0)) {
            throw new PolicyException(where + "temperature must be a positive number, got " + temperature);
        }
        List<String> templates = stringList(root.get("templates"), where + "templates");
        JsonNode labelNodes = root.get("labels");
        if (labelNodes == null || !labelNodes.isArray() || labelNodes.isEmpty()) {
            throw new PolicyException(where + "'labels' must be a non-empty list");
        }
        LabelParser parser = new LabelParser(rule, templates, baseDir, where);
        List<Label> labels = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labelNodes.size(); i++) {
            Label label = parser.parse(labelNodes.get(i), i);
            if (!seen.add(label.id())) {
                throw new PolicyException(where + "label '" + label.id() + "' is defined twice");
            }
            labels.add(label);
        }
        return new Policy(id, version, rule, labels, temperature);
    }

    /** The directory a policy file's relative paths are resolved against. */
    public static Path baseDirOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("") : parent;
    }

    private static JsonNode readTree(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (IOException e) {
            throw new PolicyException(
                    source + ": not valid YAML: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException(source + ": a policy must be a YAML mapping with id, version and labels");
        }
        return root;
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
}
