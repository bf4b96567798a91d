package io.clipguard.topics;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one topic should be: its name, partitions, replication factor and the topic configs that
 * matter (for example {@code min.insync.replicas}, {@code max.message.bytes}, {@code retention.ms},
 * {@code cleanup.policy}); configs not named are left to the broker's defaults.
 *
 * @param role              what the job uses it for (uploads, scored, flagged, dlq, shadow, policy)
 * @param name              the topic's name, from the job's config
 * @param partitions        at least 1
 * @param replicationFactor at least 1
 * @param configs           topic config name to value, as Kafka writes it
 */
public record TopicSpec(
        String role, String name, int partitions, short replicationFactor, Map<String, String> configs) {

    public TopicSpec {
        if (partitions < 1) {
            throw new IllegalArgumentException(role + ": partitions must be at least 1, not " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException(
                    role + ": replication-factor must be at least 1, not " + replicationFactor);
        }
        configs = Map.copyOf(new TreeMap<>(configs));
    }
}
