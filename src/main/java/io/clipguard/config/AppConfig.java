package io.clipguard.config;

import io.clipguard.topology.TopicNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The application's validated configuration. Immutable once loaded; see {@link ConfigLoader} for
 * the keys.
 *
 * @param topics        topic names
 * @param model         the model bundle and engine
 * @param batch         how uploads reach the encoder
 * @param serdeClass    the Avro serde class (ours, or Confluent's SpecificAvroSerde)
 * @param serdeConfig   settings passed to the serde (schema.registry.url and friends)
 * @param streams       Kafka Streams settings, passed through untouched (with our defaults)
 * @param policy        the policy file, shadow policy, hot reload and precomputed embeddings
 * @param input         image byte and pixel limits, decoding and fetching
 * @param management    health and metrics endpoints, and how a stop drains
 * @param topicsFile    the topics' specs, checked against the cluster at start (none: no check)
 * @param log           log format and levels
 * @param banks         known content: the bank topic and how its hashes match
 * @param review        the review console
 */
public record AppConfig(
        TopicNames topics,
        ModelConfig model,
        BatchConfig batch,
        String serdeClass,
        Map<String, Object> serdeConfig,
        Properties streams,
        PolicyConfig policy,
        InputConfig input,
        ManagementConfig management,
        Optional<Path> topicsFile,
        LogConfig log,
        BankConfig banks,
        ReviewConfig review) {

    public AppConfig {
        serdeConfig = Map.copyOf(serdeConfig);
        Properties copy = new Properties();
        copy.putAll(streams);
        streams = copy;
    }

    /** The topic of each role the job gives one (uploads, scored, flagged, dlq, shadow, policy). */
    public Map<String, String> topicNamesByRole() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("uploads", topics.uploads());
        names.put("scored", topics.scored());
        names.put("flagged", topics.flagged());
        names.put("dlq", topics.dlq());
        names.put("shadow", topics.shadow());
        policy.topic().ifPresent(topic -> names.put("policy", topic));
        return names;
    }

    /** The moderation policy file (YAML). */
    public Path policyFile() {
        return policy.file();
    }

    /** The largest encoded image accepted, in bytes. */
    public long maxImageBytes() {
        return input.limits().maxImageBytes();
    }

    /** The largest upload event accepted: an inline image at its limit plus room for the rest. */
    public int maxEventBytes() {
        return maxEventBytes(maxImageBytes());
    }

    static int maxEventBytes(long maxImageBytes) {
        return (int) Math.min(Integer.MAX_VALUE - 1, maxImageBytes + 1024 * 1024);
    }

    /** A copy of the Kafka Streams settings, safe to modify. */
    @Override
    public Properties streams() {
        Properties copy = new Properties();
        copy.putAll(streams);
        return copy;
    }
}
