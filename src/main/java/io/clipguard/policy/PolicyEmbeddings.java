package io.clipguard.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A policy's precomputed embeddings, as written next to the policy file by {@code clipguard
 * embed-policy} ({@code tiny-shapes.yaml} -> {@code tiny-shapes.embeddings.json}). Valid for a policy
 * when {@link #key} equals {@link EmbeddingKey#of(String, Policy)} for the running model; each label's
 * entry is also keyed, so a policy that changed only in part still reuses the rest.
 *
 * @param modelId the model the vectors were computed with
 * @param key     the whole policy's embedding key
 * @param labels  one entry per label, in policy order
 */
public record PolicyEmbeddings(String modelId, String key, List<Entry> labels) {

    static final String FORMAT = "clipguard-policy-embeddings";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One label's vectors and the key they were computed for. */
    public record Entry(String labelId, String key, LabelVectors vectors) {}

    public PolicyEmbeddings {
        labels = List.copyOf(labels);
    }

    /** Where the embeddings of a policy file live: beside it, {@code NAME.embeddings.json}. */
    public static Path fileFor(Path policyFile) {
        String name = policyFile.getFileName().toString().replaceFirst("\\.(ya?ml)$", "");
        return policyFile.resolveSibling(name + ".embeddings.json");
    }

    /** Reads an embeddings file; throws {@link PolicyException} naming the file when it is not one. */
    public static PolicyEmbeddings read(Path file) {
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                throw new PolicyException(file + ": not a " + FORMAT + " file");
            }
            List<Entry> entries = new ArrayList<>();
            for (JsonNode label : root.path("labels")) {
                List<float[]> exemplars = new ArrayList<>();
                label.path("exemplars").forEach(vector -> exemplars.add(floats(vector)));
                entries.add(new Entry(
                        label.path("id").asText(),
                        label.path("key").asText(),
                        new LabelVectors(floats(label.path("reference")), exemplars)));
            }
            return new PolicyEmbeddings(
                    root.path("model_id").asText(), root.path("key").asText(), entries);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy embeddings " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the embeddings as JSON, stamped with the policy they were computed for. */
    public void write(Path file, Policy policy) throws IOException {
        ObjectNode root = JSON.createObjectNode()
                .put("format", FORMAT)
                .put("format_version", 1)
                .put("model_id", modelId)
                .put("policy_id", policy.id())
                .put("policy_version", policy.version())
                .put("key", key);
        ArrayNode array = root.putArray("labels");
        for (Entry entry : labels) {
            ObjectNode label = array.addObject().put("id", entry.labelId()).put("key", entry.key());
            addFloats(label.putArray("reference"), entry.vectors().reference());
            ArrayNode exemplars = label.putArray("exemplars");
            entry.vectors().exemplars().forEach(vector -> addFloats(exemplars.addArray(), vector));
        }
        Files.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }

    private static void addFloats(ArrayNode array, float[] values) {
        for (float value : values) {
            array.add(value);
        }
    }
}
