package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AvroSerdeConfigTest {
    @Test
    void defaultsMatchConfluents() {
        AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of("schema.registry.url", "http://r:8081"), false);

        assertEquals(URI.create("http://r:8081"), config.registryUrl());
        assertTrue(config.autoRegisterSchemas());
        assertFalse(config.useLatestVersion());
        assertFalse(config.specificAvroReader());
        assertEquals(SubjectNaming.TOPIC_NAME, config.subjectNaming());
    }

    @Test
    void readsStringsBooleansNumbersAndTheKeyStrategyForKeys() {
        AvroSerdeConfig config = AvroSerdeConfig.parse(
                Map.of(
                        "schema.registry.url", "http://a:1,http://b:2",
                        "auto.register.schemas", "false",
                        "use.latest.version", true,
                        "key.subject.name.strategy", "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
                        "value.subject.name.strategy", "RecordNameStrategy",
                        "schema.registry.request.timeout.ms", 1500),
                true);

        assertEquals(URI.create("http://a:1"), config.registryUrl());
        assertFalse(config.autoRegisterSchemas());
        assertTrue(config.useLatestVersion());
        assertEquals(SubjectNaming.TOPIC_RECORD_NAME, config.subjectNaming());
        assertEquals(Duration.ofMillis(1500), config.requestTimeout());
    }

    @Test
    void autoRegisterSchemas_notABoolean() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> AvroSerdeConfig.parse(Map.of("auto.register.schemas", "yes"), false));
        assertTrue(e.getMessage().contains("auto.register.schemas"), e.getMessage());
    }

    @Test
    void requestTimeout_negative() {
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(Map.of("schema.registry.request.timeout.ms", "-5"), false));
    }

    @Test
    void registryUrl_notHttp() {
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(Map.of("schema.registry.url", "mock://scope"), false));
    }

    @Test
    void registryUrl_missingWhenAClientIsNeeded() {
        ConfigException e = assertThrows(ConfigException.class, () -> AvroSerdeConfig.parse(Map.of(), false)
                .newClient());
        assertTrue(e.getMessage().contains("schema.registry.url"), e.getMessage());
    }

    @Test
    void everyUrlOfTheListIsKeptAndCredentialsInAUrlAreTakenOutOfIt() {
        AvroSerdeConfig config = AvroSerdeConfig.parse(
                Map.of(
                        "schema.registry.url", "https://u:p@a:1, https://b:2",
                        "basic.auth.credentials.source", "URL"),
                false);
        assertEquals(List.of(URI.create("https://a:1"), URI.create("https://b:2")), config.registryUrls());
        assertEquals(
                "Basic " + Base64.getEncoder().encodeToString("u:p".getBytes()),
                config.access().headers().get("Authorization"));
    }

    @Test
    void basicCredentialsInheritedFromTheKafkaClientsSaslConfig() {
        AvroSerdeConfig config = AvroSerdeConfig.parse(
                Map.of(
                        "schema.registry.url",
                        "https://r:1",
                        "basic.auth.credentials.source",
                        "SASL_INHERIT",
                        "sasl.jaas.config",
                        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"k\" password=\"s\";"),
                false);
        assertEquals(
                "Basic " + Base64.getEncoder().encodeToString("k:s".getBytes()),
                config.access().headers().get("Authorization"));
    }

    @Test
    void registryCredentials_invalid() {
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(
                        Map.of("schema.registry.url", "https://r:1", "basic.auth.credentials.source", "USER_INFO"),
                        false));
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(
                        Map.of("schema.registry.url", "https://r:1", "basic.auth.credentials.source", "LDAP"), false));
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(
                        Map.of(
                                "schema.registry.url", "https://r:1",
                                "bearer.auth.credentials.source", "OAUTHBEARER"),
                        false));
        assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(
                        Map.of(
                                "schema.registry.url", "https://r:1",
                                "basic.auth.credentials.source", "USER_INFO",
                                "basic.auth.user.info", "a:b",
                                "bearer.auth.credentials.source", "STATIC_TOKEN",
                                "bearer.auth.token", "t"),
                        false));
        ConfigException hidden = assertThrows(
                ConfigException.class,
                () -> AvroSerdeConfig.parse(Map.of("schema.registry.url", "ftp://u:secret@r:1"), false));
        assertFalse(hidden.getMessage().contains("secret"), "credentials stay out of messages: " + hidden.getMessage());
    }

    @Test
    void credentialsInTheUrlAreUsedWhenNoSourceIsSetAsConfluentDoes() {
        AvroSerdeConfig config = AvroSerdeConfig.parse(Map.of("schema.registry.url", "https://key:secret@r:1"), false);
        assertEquals(URI.create("https://r:1"), config.registryUrl());
        assertEquals(
                "Basic " + Base64.getEncoder().encodeToString("key:secret".getBytes()),
                config.access().headers().get("Authorization"));
    }

    @Test
    void aUrlThatDoesNotParseOrHasNoHostKeepsItsCredentialsOutOfTheMessage() {
        for (String url : List.of("https://key:s^cret@r:1", "https://key:secret@schema_registry:8081")) {
            ConfigException e = assertThrows(
                    ConfigException.class, () -> AvroSerdeConfig.parse(Map.of("schema.registry.url", url), false));
            assertFalse(e.getMessage().contains("cret"), e.getMessage());
        }
    }
}
