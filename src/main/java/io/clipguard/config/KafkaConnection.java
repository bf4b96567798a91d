package io.clipguard.config;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * The connection and security settings out of the application's Kafka settings, for the plain
 * clients beside Kafka Streams (policy watcher, tuning, publishing) that must reach the same cluster
 * but take none of Streams' own settings.
 */
public final class KafkaConnection {

    private static final List<String> PREFIXES =
            List.of("bootstrap.servers", "security.", "ssl.", "sasl.", "client.dns.lookup", "request.timeout.ms");

    private KafkaConnection() {}

    /**
     * The connection settings for an admin client named {@code clientId} whose every call, and every
     * request in it, gives up after {@code timeout}.
     */
    public static Properties adminSettings(Properties all, String clientId, Duration timeout) {
        Properties admin = settings(all);
        admin.setProperty("client.id", clientId);
        admin.setProperty("request.timeout.ms", String.valueOf(timeout.toMillis()));
        admin.setProperty("default.api.timeout.ms", String.valueOf(timeout.toMillis()));
        return admin;
    }

    /** A copy of the settings whose keys are about reaching the cluster. */
    public static Properties settings(Properties all) {
        Properties connection = new Properties();
        all.stringPropertyNames().stream()
                .filter(key -> PREFIXES.stream().anyMatch(key::startsWith))
                .forEach(key -> connection.setProperty(key, all.getProperty(key)));
        return connection;
    }
}
