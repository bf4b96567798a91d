package io.clipguard.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the job logs.
 *
 * <pre>
 * clipguard.log.format=text                  # text | json: one JSON object per line, with @timestamp,
 *                                            # level, logger, thread, message, upload_id, error
 * clipguard.log.level.io.clipguard=info       # a level per logger (package or class); any number of these
 * clipguard.log.level.org.apache.kafka=warn
 * </pre>
 *
 * The environment variable {@code CLIPGUARD_LOG_FORMAT=json} gives JSON from the first line, before the
 * config file is read (the container images can set it).
 *
 * @param json   whether lines are JSON
 * @param levels logger name to level (trace, debug, info, warn, error, off)
 */
public record LogConfig(boolean json, Map<String, String> levels) {

    private static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error", "off");

    public static final LogConfig DEFAULTS = new LogConfig(false, Map.of());

    public LogConfig {
        levels = Map.copyOf(levels);
    }

    static LogConfig read(Settings settings) {
        String format = settings.text("log.format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException(ConfigLoader.PREFIX + "log.format=" + format + " is not valid: use text or json");
        }
        Map<String, String> levels = settings.under("log.level.");
        levels.forEach((logger, level) -> {
            if (!LEVELS.contains(level.toLowerCase(Locale.ROOT))) {
                throw new ConfigException(ConfigLoader.PREFIX + "log.level." + logger + "=" + level
                        + " is not valid: use trace, debug, info, warn, error or off");
            }
        });
        return new LogConfig(format.equals("json"), levels);
    }
}
