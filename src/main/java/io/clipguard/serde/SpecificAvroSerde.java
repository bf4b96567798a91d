package io.clipguard.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Confluent-compatible Avro serde for one generated class: Confluent wire format, schemas in a
 * Confluent-API schema registry, the same config keys as {@code
 * io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde} (see {@link AvroSerdeConfig}).
 *
 * <p>Call {@link #configure} once before handing the serde to Kafka Streams (Streams does not
 * configure serdes passed to {@code Consumed.with}/{@code Produced.with}); or use {@link
 * AvroSerdes#forClass}, which does. The serializer and deserializer share one registry client and
 * are thread-safe after configuration. Failure modes are those of {@link AvroSerializer} and
 * {@link AvroDeserializer}.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final Class<T> type;
    private final SchemaRegistryClient injectedClient;
    private volatile AvroSerializer<T> serializer;
    private volatile AvroDeserializer<T> deserializer;

    /** A serde that creates its registry client from {@code schema.registry.url}. */
    public SpecificAvroSerde(Class<T> type) {
        this(type, null);
    }

    /** A serde that uses {@code client} instead of creating one (null: create one). */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
        this.type = Objects.requireNonNull(type, "type");
        this.injectedClient = client;
    }

    /** Configures a new serde for {@code type} and returns it. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> configured(
            Class<T> type, Map<String, ?> configs, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(configs, isKey);
        return serde;
    }

    /** The generated class this serde reads and writes. */
    public Class<T> type() {
        return type;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SchemaRegistryClient client = injectedClient != null
                ? injectedClient
                : AvroSerdeConfig.parse(configs, isKey).newClient();
        AvroSerializer<T> newSerializer = new AvroSerializer<>(client);
        newSerializer.configure(configs, isKey);
        AvroDeserializer<T> newDeserializer = new AvroDeserializer<>(type, client);
        newDeserializer.configure(configs, isKey);
        this.serializer = newSerializer;
        this.deserializer = newDeserializer;
    }

    @Override
    public Serializer<T> serializer() {
        return requireConfigured(serializer);
    }

    @Override
    public Deserializer<T> deserializer() {
        return requireConfigured(deserializer);
    }

    private <S> S requireConfigured(S part) {
        if (part == null) {
            throw new IllegalStateException("SpecificAvroSerde for " + type.getName()
                    + " is not configured: call configure(configs, isKey) first");
        }
        return part;
    }
}
