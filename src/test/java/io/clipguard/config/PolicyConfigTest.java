package io.clipguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PolicyConfigTest {

    private static Properties minimal() {
        Properties properties = new Properties();
        properties.setProperty("application.id", "app");
        properties.setProperty("bootstrap.servers", "127.0.0.1:9092");
        properties.setProperty("schema.registry.url", "http://127.0.0.1:8081");
        return properties;
    }

    @Test
    void defaultsToTheDemoPolicyWithoutShadowReloadOrRequiredEmbeddings() {
        AppConfig config = ConfigLoader.from(minimal());
        PolicyConfig policy = config.policy();
        assertEquals(Path.of("deploy/policies/tiny-shapes.yaml"), policy.file());
        assertEquals(config.policyFile(), policy.file());
        assertEquals(Optional.empty(), policy.shadowFile());
        assertEquals(Optional.empty(), policy.topic());
        assertEquals(false, policy.requirePrecomputed());
        assertEquals(Duration.ZERO, policy.fileCheckInterval());
        assertEquals("moderation.shadow", config.topics().shadow());
    }

    @Test
    void readsShadowTopicsAndReloadSettings() {
        Properties properties = minimal();
        properties.setProperty("clipguard.policy.shadow-file", "candidate.yaml");
        properties.setProperty("clipguard.topic.policy", "moderation.policies");
        properties.setProperty("clipguard.topic.shadow", "shadow-results");
        properties.setProperty("clipguard.policy.require-precomputed", "true");
        properties.setProperty("clipguard.policy.file-check-interval-ms", "5000");
        AppConfig config = ConfigLoader.from(properties);
        assertEquals(Optional.of(Path.of("candidate.yaml")), config.policy().shadowFile());
        assertEquals(Optional.of("moderation.policies"), config.policy().topic());
        assertEquals("shadow-results", config.topics().shadow());
        assertTrue(config.policy().requirePrecomputed());
        assertEquals(Duration.ofSeconds(5), config.policy().fileCheckInterval());
    }

    @Test
    void requirePrecomputed_notABooleanNamesKeyAndValidValues() {
        Properties properties = minimal();
        properties.setProperty("clipguard.policy.require-precomputed", "yes");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertEquals("clipguard.policy.require-precomputed=yes is not valid: use true or false", e.getMessage());
    }

    @Test
    void fileCheckInterval_negativeIsRefused() {
        Properties properties = minimal();
        properties.setProperty("clipguard.policy.file-check-interval-ms", "-1");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertTrue(
                e.getMessage().startsWith("clipguard.policy.file-check-interval-ms=-1 is not valid"), e.getMessage());
    }
}
