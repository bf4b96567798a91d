package io.clipguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Typed reads of policy YAML fields; every error names where the field is. */
final class YamlFields {

    private YamlFields() {}

    static String requiredText(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null
                || value.isNull()
                || !value.isValueNode()
                || value.asText().isBlank()) {
            throw new PolicyException(where + "'" + field + "' is required");
        }
        return value.asText().trim();
    }

    static List<String> stringList(JsonNode node, String where) {
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

    static double number(JsonNode node, String field, double fallback, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isNumber()) {
            throw new PolicyException(where + field + " must be a number, got " + value);
        }
        return value.asDouble();
    }
}
