package io.clipguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.image.DecodeLimits;
import io.clipguard.ingest.FetchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputConfigTest {

    @TempDir
    Path dir;

    private static AppConfig load(String... keyValues) {
        Properties properties = new Properties();
        properties.setProperty("application.id", "app");
        properties.setProperty("bootstrap.servers", "127.0.0.1:9092");
        properties.setProperty("schema.registry.url", "http://127.0.0.1:8081");
        for (int i = 0; i < keyValues.length; i += 2) {
            properties.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return ConfigLoader.from(properties);
    }

    @Test
    void defaultsToCappedInputReducedJpegsAndHttpsToPublicHostsOnly() {
        InputConfig input = load().input();

        assertEquals(DecodeLimits.DEFAULTS, input.limits());
        assertTrue(input.reduceJpeg());
        assertEquals(2, input.reduceJpegMargin());
        assertEquals(FetchSettings.DEFAULTS, input.fetch());
        assertEquals(Set.of("https"), input.fetch().schemes());
    }

    @Test
    void readsEveryInputKey() {
        InputConfig input = load(
                        "clipguard.input.max-image-bytes",
                        "1000",
                        "clipguard.input.max-pixels",
                        "2000",
                        "clipguard.input.reduce-jpeg",
                        "false",
                        "clipguard.input.reduce-jpeg-margin",
                        "1",
                        "clipguard.input.fetch.schemes",
                        "https, http,file",
                        "clipguard.input.fetch.allowed-hosts",
                        "img.example.com,*.cdn.example.com",
                        "clipguard.input.fetch.allowed-networks",
                        "10.20.0.0/16",
                        "clipguard.input.fetch.allowed-ports",
                        "*",
                        "clipguard.input.fetch.connect-timeout-ms",
                        "100",
                        "clipguard.input.fetch.read-timeout-ms",
                        "200",
                        "clipguard.input.fetch.timeout-ms",
                        "300",
                        "clipguard.input.fetch.max-redirects",
                        "0",
                        "clipguard.input.fetch.max-attempts",
                        "5",
                        "clipguard.input.fetch.retry-backoff-ms",
                        "50",
                        "clipguard.input.fetch.file-base-dir",
                        dir.toString())
                .input();

        assertEquals(new DecodeLimits(1000, 2000), input.limits());
        assertFalse(input.reduceJpeg());
        assertEquals(1, input.reduceJpegMargin());
        assertEquals(
                new FetchSettings(
                        Set.of("https", "http", "file"),
                        List.of("img.example.com", "*.cdn.example.com"),
                        List.of("10.20.0.0/16"),
                        Set.of(),
                        Duration.ofMillis(100),
                        Duration.ofMillis(200),
                        Duration.ofMillis(300),
                        0,
                        5,
                        Duration.ofMillis(50),
                        Optional.of(dir),
                        FetchSettings.DEFAULTS.deadline(),
                        FetchSettings.DEFAULTS.threads()),
                input.fetch());
    }

    @Test
    void schemes_noneTurnsFetchingOff() {
        assertEquals(
                Set.of(),
                load("clipguard.input.fetch.schemes", "none").input().fetch().schemes());
    }

    @Test
    void invalidValuesNameTheKey() {
        assertMessage("clipguard.input.max-pixels=-1", "clipguard.input.max-pixels", "-1");
        assertMessage("clipguard.input.reduce-jpeg", "clipguard.input.reduce-jpeg", "yes");
        assertMessage("clipguard.input.reduce-jpeg-margin=0", "clipguard.input.reduce-jpeg-margin", "0");
        assertMessage("clipguard.input.reduce-jpeg-margin=9", "clipguard.input.reduce-jpeg-margin", "9");
        assertMessage("clipguard.input.fetch.schemes=ftp", "clipguard.input.fetch.schemes", "ftp");
        assertMessage("file base directory", "clipguard.input.fetch.schemes", "file");
        assertMessage("clipguard.input.fetch.allowed-ports=https", "clipguard.input.fetch.allowed-ports", "https");
        assertMessage("clipguard.input.fetch.max-redirects=-1", "clipguard.input.fetch.max-redirects", "-1");
        assertMessage("not an IP address", "clipguard.input.fetch.allowed-networks", "example.com/8");
        assertMessage(
                "is not a directory",
                "clipguard.input.fetch.file-base-dir",
                dir.resolve("nope").toString());
    }

    private static void assertMessage(String expected, String key, String value) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(key, value));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
