package io.clipguard.topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clipguard.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a topics file (YAML): for each role the job gives a topic (uploads, scored, flagged, dlq,
 * shadow, policy), its partitions, replication factor and configs. Names are not in the file: they
 * come from the job's config ({@code clipguard.topic.*}), so one file serves every environment.
 *
 * <pre>
 * uploads:
 *   partitions: 12
 *   replication-factor: 3
 *   configs:
 *     min.insync.replicas: 2
 *     max.message.bytes: 22020096
 * </pre>
 */
public final class TopicSpecs {

    public static final Set<String> ROLES = Set.of("uploads", "scored", "flagged", "dlq", "shadow", "policy");
    private static final Set<String> FIELDS = Set.of("partitions", "replication-factor", "configs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TopicSpecs() {}

    /**
     * @param names role to topic name; a role without a name (the policy topic when hot reload is off)
     *     is skipped
     * @throws ConfigException naming the file and the entry that is wrong
     */
    public static List<TopicSpec> load(Path file, Map<String, String> names) {
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException("cannot read topics file " + file + ": " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("topics file " + file + " must map roles ("
                    + String.join(", ", ROLES.stream().sorted().toList()) + ") to their topics");
        }
        List<TopicSpec> specs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String role = entry.getKey();
            if (!ROLES.contains(role)) {
                throw new ConfigException("topics file " + file + ": unknown role '" + role + "'; the roles are "
                        + String.join(", ", ROLES.stream().sorted().toList()));
            }
            String name = names.get(role);
            if (name != null) {
                specs.add(spec(file, role, name, entry.getValue()));
            }
        }
        return List.copyOf(specs);
    }

    private static TopicSpec spec(Path file, String role, String name, JsonNode node) {
        String where = "topics file " + file + ", " + role;
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new ConfigException(where + ": unknown field '" + field + "'; the fields are partitions,"
                        + " replication-factor, configs");
            }
        }
        JsonNode partitions = node.path("partitions");
        JsonNode replicas = node.path("replication-factor");
        if (!partitions.isIntegralNumber()
                || !partitions.canConvertToInt()
                || !replicas.isIntegralNumber()
                || replicas.asLong() > Short.MAX_VALUE) {
            throw new ConfigException(where + ": partitions and replication-factor must be whole numbers"
                    + " (replication-factor at most " + Short.MAX_VALUE + ")");
        }
        Map<String, String> configs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.path("configs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> config = it.next();
            if (!config.getValue().isValueNode() || config.getValue().isNull()) {
                throw new ConfigException(where + ": configs." + config.getKey()
                        + " must be one value (a list is written as Kafka writes it: compact,delete)");
            }
            configs.put(config.getKey(), config.getValue().asText());
        }
        try {
            return new TopicSpec(
                    role,
                    name,
                    node.get("partitions").asInt(),
                    (short) node.get("replication-factor").asInt(),
                    configs);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("topics file " + file + ", " + e.getMessage());
        }
    }
}
