package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
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
}
