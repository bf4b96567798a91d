package io.clipguard.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads typed values from {@code manifest.json} by dotted key, failing with the key's name. */
final class ManifestReader {

    private final Path manifest;
    private final JsonNode root;

    private ManifestReader(Path manifest, JsonNode root) {
        this.manifest = manifest;
        this.root = root;
    }

    static ManifestReader open(Path manifest) {
        if (!Files.isRegularFile(manifest)) {
            throw new BundleException(manifest + ": manifest not found; point the model path at a"
                    + " bundle directory that contains manifest.json");
        }
        try {
            JsonNode root = new ObjectMapper().readTree(manifest.toFile());
            if (root == null || !root.isObject()) {
                throw new BundleException(manifest + ": not a JSON object; re-export the bundle");
            }
            return new ManifestReader(manifest, root);
        } catch (JsonProcessingException e) {
            throw new BundleException(
                    manifest + ": unparsable JSON at line "
                            + e.getLocation().getLineNr() + " (" + e.getOriginalMessage()
                            + "); fix the syntax or re-export the bundle",
                    e);
        } catch (IOException e) {
            throw new BundleException(manifest + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    Path manifest() {
        return manifest;
    }

    JsonNode node(String key) {
        JsonNode node = root;
        for (String part : key.split("[.\\[]")) {
            node = part.endsWith("]")
                    ? node.path(Integer.parseInt(part.substring(0, part.length() - 1)))
                    : node.path(part);
        }
        if (node.isMissingNode() || node.isNull()) {
            throw invalid(key, "is missing", "add it");
        }
        return node;
    }

    String text(String key) {
        JsonNode node = node(key);
        if (!node.isTextual() || node.asText().isBlank()) {
            throw invalid(key, "must be a non-empty string, got " + node, "fix its value");
        }
        return node.asText();
    }

    String text(String key, String... allowed) {
        String value = text(key);
        for (String candidate : allowed) {
            if (candidate.equals(value)) {
                return value;
            }
        }
        throw invalid(key, "is '" + value + "', which is not supported", "use " + String.join(" or ", allowed));
    }

    int positiveInt(String key) {
        JsonNode node = node(key);
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() <= 0) {
            throw invalid(key, "must be a positive integer, got " + node, "fix its value");
        }
        return node.asInt();
    }

    long nonNegativeLong(String key) {
        JsonNode node = node(key);
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw invalid(key, "must be a non-negative integer, got " + node, "fix its value");
        }
        return node.asLong();
    }

    double positiveNumber(String key) {
        JsonNode node = node(key);
        if (!node.isNumber() || !(node.asDouble() > 0) || Double.isInfinite(node.asDouble())) {
            throw invalid(key, "must be a positive number, got " + node, "fix its value");
        }
        return node.asDouble();
    }

    boolean bool(String key) {
        JsonNode node = node(key);
        if (!node.isBoolean()) {
            throw invalid(key, "must be true or false, got " + node, "fix its value");
        }
        return node.asBoolean();
    }

    double[] numbers(String key, int length) {
        JsonNode node = node(key);
        if (!node.isArray() || node.size() != length) {
            throw invalid(key, "must be an array of " + length + " numbers, got " + node, "fix its value");
        }
        double[] values = new double[length];
        for (int i = 0; i < length; i++) {
            if (!node.get(i).isNumber()) {
                throw invalid(key, "must hold only numbers, got " + node, "fix its value");
            }
            values[i] = node.get(i).asDouble();
        }
        return values;
    }

    long[] shape(String key) {
        JsonNode node = node(key);
        if (!node.isArray() || node.isEmpty()) {
            throw invalid(key, "must be a non-empty array of integers, got " + node, "fix its value");
        }
        long[] dims = new long[node.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!node.get(i).isIntegralNumber()) {
                throw invalid(key, "must hold only integers, got " + node, "fix its value");
            }
            dims[i] = node.get(i).asLong();
        }
        return dims;
    }

    BundleException invalid(String key, String problem, String fix) {
        return new BundleException(manifest + ": key '" + key + "' " + problem + "; " + fix);
    }
}
