package io.clipguard.config;

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

    /** A copy of the settings whose keys are about reaching the cluster. */
    public static Properties settings(Properties all) {
        Properties connection = new Properties();
        all.stringPropertyNames().stream()
                .filter(key -> PREFIXES.stream().anyMatch(key::startsWith))
                .forEach(key -> connection.setProperty(key, all.getProperty(key)));
        return connection;
    }
}
