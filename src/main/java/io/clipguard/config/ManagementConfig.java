package io.clipguard.config;

import java.time.Duration;

/**
 * The management endpoints and how the job stops.
 *
 * <pre>
 * clipguard.management.host=127.0.0.1   # bind address; 0.0.0.0 in a container
 * clipguard.management.port=8080        # 0 turns the endpoints off
 * clipguard.shutdown.drain-ms=10000     # on SIGTERM, wait this long for uploads in flight to finish
 * clipguard.shutdown.leave-group=true   # leave the consumer group on a stop, so partitions move at once
 * clipguard.management.max-encode-ms=60000  # an encoder call running longer is hung: liveness fails
 * </pre>
 *
 * @param host       where the endpoints listen
 * @param port       their port, 0 for none
 * @param drain      the longest a stop waits for the uploads in flight to be decided and written
 * @param leaveGroup whether a stop leaves the group (true) or lets a restart with the same static
 *                   identity take the partitions back (false)
 * @param maxEncode  the longest an encoder call may run before liveness calls it hung
 */
public record ManagementConfig(String host, int port, Duration drain, boolean leaveGroup, Duration maxEncode) {

    public static final ManagementConfig DEFAULTS =
            new ManagementConfig("127.0.0.1", 8080, Duration.ofSeconds(10), true, Duration.ofSeconds(60));

    /** Whether the endpoints are served at all. */
    public boolean enabled() {
        return port > 0;
    }

    static ManagementConfig read(Settings settings) {
        String portText = settings.text("management.port", String.valueOf(DEFAULTS.port()));
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException(ConfigLoader.PREFIX + "management.port=" + portText
                    + " is not valid: use a port number, or 0 to turn the endpoints off");
        }
        return new ManagementConfig(
                settings.text("management.host", DEFAULTS.host()),
                port,
                Duration.ofMillis(settings.positiveLong(
                        "shutdown.drain-ms", DEFAULTS.drain().toMillis())),
                settings.flag("shutdown.leave-group", DEFAULTS.leaveGroup()),
                Duration.ofMillis(settings.positiveLong(
                        "management.max-encode-ms", DEFAULTS.maxEncode().toMillis())));
    }
}
