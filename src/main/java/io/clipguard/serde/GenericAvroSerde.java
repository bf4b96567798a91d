package io.clipguard.serde;

import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Confluent-compatible Avro serde for {@link GenericRecord}s, read with the writer's schema
 * (the counterpart of Confluent's {@code GenericAvroSerde}). Same keys, thread-safety and failure
 * modes as {@link SpecificAvroSerde}; with {@code specific.avro.reader=true} the deserializer
 * returns generated classes where they exist.
 */
public final class GenericAvroSerde implements Serde<GenericRecord> {
    private final SchemaRegistryClient injectedClient;
    private volatile AvroSerializer<GenericRecord> serializer;
    private volatile AvroDeserializer<GenericRecord> deserializer;

    /** A serde that creates its registry client from {@code schema.registry.url}. */
    public GenericAvroSerde() {
        this(null);
    }

    /** A serde that uses {@code client} instead of creating one (null: create one). */
    public GenericAvroSerde(SchemaRegistryClient client) {
        this.injectedClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient client = injectedClient != null
                ? injectedClient
                : AvroSerdeConfig.parse(configs, isKey).newClient();
        AvroSerializer<GenericRecord> newSerializer = new AvroSerializer<>(client);
        newSerializer.configure(configs, isKey);
        AvroDeserializer<GenericRecord> newDeserializer = new AvroDeserializer<>(null, client);
        newDeserializer.configure(configs, isKey);
        this.serializer = newSerializer;
        this.deserializer = newDeserializer;
    }

    @Override
    public Serializer<GenericRecord> serializer() {
        if (serializer == null) {
            throw new IllegalStateException("GenericAvroSerde is not configured: call configure first");
        }
        return serializer;
    }

    @Override
    public Deserializer<GenericRecord> deserializer() {
        if (deserializer == null) {
            throw new IllegalStateException("GenericAvroSerde is not configured: call configure first");
        }
        return deserializer;
    }
}
