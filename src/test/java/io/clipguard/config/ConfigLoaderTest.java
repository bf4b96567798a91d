package io.clipguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.model.Engine;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    /** The three settings every configuration needs, and nothing else. */
    static Properties minimal() {
        Properties properties = new Properties();
        properties.setProperty("application.id", "app");
        properties.setProperty("bootstrap.servers", "127.0.0.1:9092");
        properties.setProperty("schema.registry.url", "http://127.0.0.1:8081");
        return properties;
    }

    @Test
    void defaultsToExactlyOnceTheTinyModelAndDefaultTopics() {
        AppConfig config = ConfigLoader.from(minimal());
        assertEquals("exactly_once_v2", config.streams().getProperty("processing.guarantee"));
        assertEquals(Path.of("models/tiny-clip"), config.model().dir());
        assertEquals(Engine.PYTORCH, config.model().engine());
        assertEquals("moderation.scored", config.topics().scored());
        assertEquals("moderation.dlq", config.topics().dlq());
    }

    @Test
    void tensorRtSettingsAreReadAndItsProfileFollowsTheLargestBatch() {
        Properties properties = minimal();
        properties.setProperty("clipguard.model.engine", "tensorrt");
        properties.setProperty("clipguard.batch.max-size", "64");
        properties.setProperty("clipguard.tensorrt.cache-dir", "/var/cache/trt-h100");
        properties.setProperty("clipguard.tensorrt.fp16", "false");
        properties.setProperty("clipguard.tensorrt.device-id", "1");
        TensorRtConfig tensorRt = ConfigLoader.from(properties).model().tensorRt();
        assertEquals(Path.of("/var/cache/trt-h100"), tensorRt.cacheDir());
        assertFalse(tensorRt.fp16());
        assertEquals(1, tensorRt.deviceId());
        assertEquals(64, tensorRt.maxBatch());
        Properties bad = minimal();
        bad.setProperty("clipguard.tensorrt.device-id", "gpu0");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.from(bad))
                .getMessage()
                .contains("clipguard.tensorrt.device-id=gpu0"));
    }

    @Test
    void logFormatAndLevelsPerLoggerAreRead() {
        Properties properties = minimal();
        properties.setProperty("clipguard.log.format", "json");
        properties.setProperty("clipguard.log.level.org.apache.kafka", "info");
        properties.setProperty("clipguard.log.level.io.clipguard.ingest", "DEBUG");
        AppConfig config = ConfigLoader.from(properties);
        assertTrue(config.log().json());
        assertEquals(
                java.util.Map.of("org.apache.kafka", "info", "io.clipguard.ingest", "DEBUG"),
                config.log().levels());
        assertFalse(ConfigLoader.from(minimal()).log().json());
    }

    @Test
    void logFormatAndLevel_invalid() {
        Properties format = minimal();
        format.setProperty("clipguard.log.format", "xml");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.from(format))
                .getMessage()
                .contains("clipguard.log.format=xml"));
        Properties level = minimal();
        level.setProperty("clipguard.log.level.io.clipguard", "loud");
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.from(level))
                .getMessage()
                .contains("clipguard.log.level.io.clipguard=loud"));
    }

    @Test
    void kafkaSettingsPassThroughUntouchedAndReachTheSerde() {
        Properties properties = minimal();
        properties.setProperty("processing.guarantee", "at_least_once");
        properties.setProperty("clipguard.pipeline.mode", "per-record");
        properties.setProperty("num.stream.threads", "3");
        AppConfig config = ConfigLoader.from(properties);
        assertEquals("at_least_once", config.streams().getProperty("processing.guarantee"));
        assertEquals("3", config.streams().getProperty("num.stream.threads"));
        assertEquals("http://127.0.0.1:8081", config.serdeConfig().get("schema.registry.url"));
    }

    @Test
    void ourKeysAreReadAndNotPassedToKafka() {
        Properties properties = minimal();
        properties.setProperty("clipguard.topic.uploads", "images");
        properties.setProperty("clipguard.model.engine", "OnnxRuntime");
        AppConfig config = ConfigLoader.from(properties);
        assertEquals("images", config.topics().uploads());
        assertEquals(Engine.ONNXRUNTIME, config.model().engine());
        assertTrue(config.streams().stringPropertyNames().stream().noneMatch(k -> k.startsWith("clipguard.")));
    }

    @Test
    void engine_unknownNamesKeyAndValidValues() {
        Properties properties = minimal();
        properties.setProperty("clipguard.model.engine", "cuda");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertTrue(e.getMessage().startsWith("clipguard.model.engine"), e.getMessage());
        assertTrue(e.getMessage().contains("pytorch, onnxruntime, tensorrt"), e.getMessage());
    }

    @Test
    void instances_zeroIsRefusedWithKeyAndValue() {
        Properties properties = minimal();
        properties.setProperty("clipguard.model.instances", "0");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertEquals("clipguard.model.instances=0 is not valid: use a positive integer", e.getMessage());
    }

    @Test
    void unknownOwnKeyIsRefusedToCatchTypos() {
        Properties properties = minimal();
        properties.setProperty("clipguard.modle.dir", "x");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertTrue(e.getMessage().contains("clipguard.modle.dir"), e.getMessage());
    }

    @Test
    void registryUrl_missingIsRefused() {
        Properties properties = minimal();
        properties.remove("schema.registry.url");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertEquals("schema.registry.url is required", e.getMessage());
    }

    @Test
    void batchedModeRefusesAtLeastOnceBecauseItWouldLoseUploads() {
        Properties properties = minimal();
        properties.setProperty("processing.guarantee", "at_least_once");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertTrue(
                e.getMessage()
                        .startsWith("processing.guarantee=at_least_once is not valid with"
                                + " clipguard.pipeline.mode=batched"),
                e.getMessage());
        assertTrue(e.getMessage().contains("per-record"), e.getMessage());
    }

    @Test
    void maxBlock_beyondAQuarterOfTheTransactionTimeoutIsRefused() {
        Properties properties = minimal();
        properties.setProperty("clipguard.pipeline.max-block-ms", "3000");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties));
        assertTrue(e.getMessage().startsWith("clipguard.pipeline.max-block-ms=3000 is not valid"), e.getMessage());
        properties.setProperty("producer.transaction.timeout.ms", "20000");
        assertEquals(3000, ConfigLoader.from(properties).batch().maxBlock().toMillis());
    }

    /** The in-flight store keeps where events are, not their bytes: the producer need not take an event. */
    @Test
    void producerRequestSizeOfKafkasDefaultIsAccepted() {
        Properties properties = minimal();
        properties.setProperty("producer.max.request.size", "1048576");
        assertEquals("1048576", ConfigLoader.from(properties).streams().getProperty("producer.max.request.size"));
    }

    @Test
    void lastResortHandlersAndTolerantTimestampsAreSetUnlessGiven() {
        Properties streams = ConfigLoader.from(minimal()).streams();
        assertEquals(
                "io.clipguard.topology.LastResortDeadLetters", streams.getProperty("processing.exception.handler"));
        assertEquals(
                "io.clipguard.topology.LastResortDeadLetters", streams.getProperty("production.exception.handler"));
        assertEquals("moderation.dlq", streams.getProperty("errors.dead.letter.queue.topic.name"));
        assertEquals(
                "io.clipguard.topology.RecordOrWallClockTimestamp", streams.getProperty("default.timestamp.extractor"));
    }

    @Test
    void inFlightBudgetAndFetchSettingsAreRead() {
        Properties properties = minimal();
        properties.setProperty("clipguard.pipeline.max-in-flight-bytes", "1000000");
        properties.setProperty("clipguard.input.fetch.deadline-ms", "7000");
        properties.setProperty("clipguard.input.fetch.threads", "64");
        AppConfig config = ConfigLoader.from(properties);
        assertEquals(1_000_000, config.batch().maxInFlightBytes());
        assertEquals(7000, config.input().fetch().deadline().toMillis());
        assertEquals(64, config.input().fetch().threads());
    }
}
