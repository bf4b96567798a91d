package io.clipguard.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the moderation policy comes from and how it may change while running.
 *
 * <pre>
 * clipguard.policy.file=deploy/policies/tiny-shapes.yaml
 * clipguard.policy.shadow-file=                  # a candidate policy scored beside the live one
 * clipguard.policy.require-precomputed=false     # refuse to start without NAME.embeddings.json
 * clipguard.policy.file-check-interval-ms=0      # > 0: reload the policy files when they change
 * clipguard.topic.policy=                        # compacted topic of policy YAML keyed by policy id
 * clipguard.topic.shadow=moderation.shadow       # where differing shadow results go
 * </pre>
 *
 * @param file               the live policy at start-up
 * @param shadowFile         a candidate policy evaluated beside the live one, if any
 * @param topic              the compacted policy topic to hot-reload from, if any
 * @param requirePrecomputed refuse to start when a policy's precomputed embeddings are missing or
 *                           stale, instead of computing them
 * @param fileCheckInterval  how often the policy files are checked for changes; zero for never
 */
public record PolicyConfig(
        Path file,
        Optional<Path> shadowFile,
        Optional<String> topic,
        boolean requirePrecomputed,
        Duration fileCheckInterval) {

    /** Just a policy file: no shadow, no hot reload, embeddings computed when not precomputed. */
    public static PolicyConfig of(Path file) {
        return new PolicyConfig(file, Optional.empty(), Optional.empty(), false, Duration.ZERO);
    }

    static PolicyConfig read(Settings settings) {
        Path file = Path.of(settings.text("policy.file", "deploy/policies/tiny-shapes.yaml"));
        Optional<Path> shadow =
                Optional.ofNullable(settings.text("policy.shadow-file", null)).map(Path::of);
        Optional<String> topic = Optional.ofNullable(settings.text("topic.policy", null));
        return new PolicyConfig(
                file, shadow, topic, settings.flag("policy.require-precomputed", false), checkInterval(settings));
    }

    private static Duration checkInterval(Settings settings) {
        String text = settings.text("policy.file-check-interval-ms", "0");
        try {
            long millis = Long.parseLong(text);
            if (millis >= 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(ConfigLoader.PREFIX + "policy.file-check-interval-ms=" + text
                + " is not valid: use 0 (off) or a positive number of milliseconds");
    }
}
