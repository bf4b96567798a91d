package io.clipguard.app;

import io.clipguard.config.LogConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Applies the config's log format and levels to Log4j at start: JSON lines swap the console appender
 * (log4j2.properties picks it by {@code clipguard.log.format}), and each
 * {@code clipguard.log.level.LOGGER} sets that logger's level.
 */
final class Logs {

    static final String FORMAT_PROPERTY = "clipguard.log.format";

    private Logs() {}

    static void apply(LogConfig config) {
        String fromEnvironment = System.getenv("CLIPGUARD_LOG_FORMAT");
        boolean unknown = fromEnvironment != null && !fromEnvironment.equals("json") && !fromEnvironment.equals("text");
        if (unknown && System.getProperty(FORMAT_PROPERTY) == null) {
            // log4j2.properties would name an appender that does not exist, and logging would go nowhere
            System.setProperty(FORMAT_PROPERTY, "text");
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
            LogManager.getLogger(Logs.class)
                    .warn("CLIPGUARD_LOG_FORMAT={} is neither text nor json: logging as text", fromEnvironment);
        }
        String wanted = config.json() ? "json" : null;
        String current = System.getProperty(FORMAT_PROPERTY);
        if (wanted != null && !wanted.equals(current)) {
            System.setProperty(FORMAT_PROPERTY, wanted);
            ((LoggerContext) LogManager.getContext(false)).reconfigure();
        }
        config.levels().forEach((logger, level) -> Configurator.setLevel(logger, Level.toLevel(level)));
    }
}
