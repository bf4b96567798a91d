package io.clipguard.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the moderation policy comes from and how it may change while running.
 *
 * <pre>
 * clipguard.policy.file=deploy/policies/tiny-shapes.yaml
 * clipguard.policy.shadow-file=                  # a candidate policy scored beside the live one
 * clipguard.policy.require-precomputed=false     # refuse to start without NAME.embeddings.json
 * clipguard.topic.policy=                        # compacted topic of policy YAML keyed by policy id
 * clipguard.topic.shadow=moderation.shadow       # where differing shadow results go
 * </pre>
 *
 * @param file               the live policy at start-up
 * @param shadowFile         a candidate policy evaluated beside the live one, if any
 * @param topic              the compacted policy topic to hot-reload from, if any
 * @param requirePrecomputed refuse to start when a policy's precomputed embeddings are missing or
 *                           stale, instead of computing them
 */
public record PolicyConfig(Path file, Optional<Path> shadowFile, Optional<String> topic, boolean requirePrecomputed) {

    /** Just a policy file: no shadow, no hot reload, embeddings computed when not precomputed. */
    public static PolicyConfig of(Path file) {
        return new PolicyConfig(file, Optional.empty(), Optional.empty(), false);
    }

    static PolicyConfig read(Settings settings) {
        Path file = Path.of(settings.text("policy.file", "deploy/policies/tiny-shapes.yaml"));
        Optional<Path> shadow = Optional.ofNullable(settings.text("policy.shadow-file", null)).map(Path::of);
        Optional<String> topic = Optional.ofNullable(settings.text("topic.policy", null));
        String require = settings.text("policy.require-precomputed", "false");
        if (!require.equals("true") && !require.equals("false")) {
            throw new ConfigException(ConfigLoader.PREFIX + "policy.require-precomputed=" + require
                    + " is not valid: use true or false");
        }
        return new PolicyConfig(file, shadow, topic, Boolean.parseBoolean(require));
    }
}
