package io.clipguard.console;

import io.clipguard.config.PolicyConfig;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.tuning.TopicSnapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The policies the pipeline runs, as text: the live one and the shadow from the job's config, each at
 * its latest version on the policy topic where one was published there, else as in its file.
 */
final class PolicyTexts {

    /** A policy's YAML and what it parses to. */
    record Text(String yaml, Policy policy) {}

    private final PolicyConfig config;
    private final Properties client;
    private final String liveId;
    private final Optional<String> shadowId;
    private static final long FRESH_NANOS = 3_000_000_000L;
    private Map<String, String> lastRead;
    private long readAtNanos;

    PolicyTexts(PolicyConfig config, Properties client) {
        this.config = config;
        this.client = client;
        this.liveId = PolicyLoader.load(config.file()).id();
        this.shadowId = config.shadowFile().map(file -> PolicyLoader.load(file).id());
    }

    String liveId() {
        return liveId;
    }

    /** The shadow policy's id, when the job scores one (clipguard.policy.shadow-file). */
    Optional<String> shadowId() {
        return shadowId;
    }

    /** The policy topic, where publishing goes; empty when hot reload from a topic is not set up. */
    Optional<String> topic() {
        return config.topic();
    }

    /** The live or shadow policy of that id, at its latest version; empty for any other id. */
    Optional<Text> current(String id) {
        Path file = id.equals(liveId)
                ? config.file()
                : shadowId.filter(id::equals)
                        .flatMap(shadow -> config.shadowFile())
                        .orElse(null);
        if (file == null) {
            return Optional.empty();
        }
        String yaml = latestOnTopic().getOrDefault(id, null);
        if (yaml == null) {
            try {
                yaml = Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.of(new Text(yaml, PolicyLoader.parse(yaml, id, PolicyLoader.baseDirOf(file))));
    }

    /** The latest text of each policy on the topic, read again at most every few seconds. */
    private synchronized Map<String, String> latestOnTopic() {
        if (System.nanoTime() - readAtNanos < FRESH_NANOS && lastRead != null) {
            return lastRead;
        }
        Map<String, String> latest = new HashMap<>();
        config.topic()
                .ifPresent(topic -> TopicSnapshot.forEachRecord(topic, client, record -> {
                    if (record.key() != null && record.value() != null) {
                        latest.put(
                                new String(record.key(), StandardCharsets.UTF_8),
                                new String(record.value(), StandardCharsets.UTF_8));
                    }
                }));
        lastRead = latest;
        readAtNanos = System.nanoTime();
        return latest;
    }
}
