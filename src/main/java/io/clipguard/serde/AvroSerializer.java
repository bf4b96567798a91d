package io.clipguard.serde;

import io.clipguard.serde.AvroSerdeException.Problem;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated {@code SpecificRecord}s or {@code GenericRecord}s) in the
 * Confluent wire format, registering or looking up their schemas in a schema registry.
 *
 * <p>Configure with {@link #configure} (see {@link AvroSerdeConfig} for the keys) before use.
 * Thread-safe after configuration. A null record serializes to null (a tombstone).
 *
 * <p>Failures: {@link AvroSerdeException} for problems of the record or its schema ({@code
 * SCHEMA_REJECTED}, {@code SCHEMA_NOT_REGISTERED}, {@code AVRO_ENCODE_FAILED}); {@link
 * SchemaRegistryUnavailableException} when the registry cannot be reached (retry later); {@link
 * SchemaRegistryException} for other registry errors (for example unauthorised).
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
    private record Writer(int schemaId, Schema schema) {}

    private final SchemaRegistryClient injectedClient;
    private final RecordEncoder encoder = new RecordEncoder();
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient client;
    private volatile AvroSerdeConfig config;
    private volatile boolean isKey;

    /** A serializer that creates its registry client from {@code schema.registry.url}. */
    public AvroSerializer() {
        this(null);
    }

    /** A serializer that uses {@code client} (for sharing one client, or for tests). */
    public AvroSerializer(SchemaRegistryClient client) {
        this.injectedClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig parsed = AvroSerdeConfig.parse(configs, isKey);
        this.client = injectedClient != null ? injectedClient : parsed.newClient();
        this.isKey = isKey;
        this.config = parsed;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        AvroSerdeConfig settings = requireConfigured();
        String where = Where.describe(topic, isKey);
        Schema schema = record.getSchema();
        String subject = settings.subjectNaming().subject(topic, isKey, schema);
        Writer writer = writerFor(settings, subject, schema, where);
        try {
            return WireFormat.frame(writer.schemaId(), encoder.encode(record, writer.schema()));
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new AvroSerdeException(
                    Problem.AVRO_ENCODE_FAILED,
                    where + ": cannot encode " + schema.getFullName() + " with schema id " + writer.schemaId()
                            + " of subject " + subject + ": " + e,
                    e);
        }
    }

    private Writer writerFor(AvroSerdeConfig settings, String subject, Schema schema, String where) {
        if (settings.autoRegisterSchemas()) {
            try {
                return new Writer(client.register(subject, schema), schema);
            } catch (SchemaRegistryUnavailableException | SchemaNotFoundException e) {
                throw e;
            } catch (SchemaRegistryException e) {
                if (e.httpStatus() != 409 && e.httpStatus() != 422) {
                    throw e;
                }
                throw new AvroSerdeException(
                        Problem.SCHEMA_REJECTED,
                        where + ": the registry rejected schema " + schema.getFullName() + " for subject " + subject
                                + ": " + e.getMessage(),
                        e);
            }
        }
        if (settings.useLatestVersion()) {
            RegisteredSchema latest = latestBySubject.computeIfAbsent(
                    subject, s -> client.latest(s).orElseThrow(() -> notRegistered(where, subject, "has no versions")));
            return new Writer(latest.id(), latest.schema());
        }
        try {
            return new Writer(client.lookup(subject, schema), schema);
        } catch (SchemaNotFoundException e) {
            throw notRegistered(
                    where,
                    subject,
                    "does not contain " + schema.getFullName() + " and auto.register.schemas is false ("
                            + e.getMessage() + ")");
        }
    }

    private static AvroSerdeException notRegistered(String where, String subject, String why) {
        return new AvroSerdeException(Problem.SCHEMA_NOT_REGISTERED, where + ": subject " + subject + " " + why, null);
    }

    private AvroSerdeConfig requireConfigured() {
        AvroSerdeConfig settings = config;
        if (settings == null) {
            throw new IllegalStateException("AvroSerializer is not configured: call configure(configs, isKey) first");
        }
        return settings;
    }
}
