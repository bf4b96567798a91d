package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "http://127.0.0.1:1");

    /** Stands in for Confluent's SpecificAvroSerde: public, no-argument constructor. */
    public static final class NoArgSerde extends Serdes.WrapperSerde<Object> {
        static volatile Map<String, ?> lastConfigs;
        static volatile Boolean lastIsKey;

        public NoArgSerde() {
            super(null, null);
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            lastConfigs = configs;
            lastIsKey = isKey;
        }
    }

    @Test
    void defaultsToOurSpecificAvroSerdeConfigured() {
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, CONFIG, null);

        assertInstanceOf(SpecificAvroSerde.class, serde);
        assertEquals(UploadedImage.class, ((SpecificAvroSerde<UploadedImage>) serde).type());
        serde.serializer();
    }

    @Test
    void instantiatesANoArgumentSerdeByNameAndConfiguresIt() {
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, CONFIG, NoArgSerde.class.getName(), true);

        assertInstanceOf(NoArgSerde.class, serde);
        assertEquals(CONFIG, NoArgSerde.lastConfigs);
        assertEquals(true, NoArgSerde.lastIsKey);
    }

    @Test
    void serdeClass_notOnTheClasspath() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> AvroSerdes.forClass(
                        UploadedImage.class, CONFIG, "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde"));

        assertTrue(e.getMessage().contains("io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde"));
        assertTrue(e.getMessage().contains("kafka-streams-avro-serde"), e.getMessage());
    }

    @Test
    void serdeClass_notASerde() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> AvroSerdes.forClass(UploadedImage.class, CONFIG, String.class.getName()));

        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
    }
}
