package io.clipguard.serde;

import io.clipguard.serde.AvroSerdeException.Problem;
import io.clipguard.serde.WireFormat.Header;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro: fetches the writer's schema by the id in the header and
 * resolves it against the reader's schema, so records written with an older (or newer) compatible
 * schema read fine; fields the writer lacked take the reader's defaults.
 *
 * <p>The reader schema is the target class's schema when one is given (a generated {@code
 * SpecificRecord}); otherwise the writer's schema, producing {@code GenericRecord}s, or the
 * generated class named like the writer's schema when {@code specific.avro.reader=true}.
 *
 * <p>Configure with {@link #configure} before use. Thread-safe after configuration. Null bytes
 * deserialize to null.
 *
 * <p>Hostile bodies: every length and count is checked against the bytes that remain before
 * anything is allocated for it, and an {@code Error} while reading is the record's failure.
 *
 * <p>Failures: {@link AvroSerdeException} for bad records ({@code BAD_MAGIC_BYTE}, {@code
 * TRUNCATED_HEADER}, {@code UNKNOWN_SCHEMA_ID}, {@code INCOMPATIBLE_SCHEMA}, {@code
 * AVRO_DECODE_FAILED}), with the topic in the message; {@link SchemaRegistryUnavailableException}
 * when the registry cannot be reached (transient: retry, do not dead-letter); {@link
 * SchemaRegistryException} for other registry errors.
 */
public class AvroDeserializer<T> implements Deserializer<T> {
    private final Class<? extends T> targetType;
    private final SchemaRegistryClient injectedClient;
    private final Map<Integer, DatumReader<T>> readersBySchemaId = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> writersBySchemaId = new ConcurrentHashMap<>();
    private volatile SchemaRegistryClient client;
    private volatile ReaderSchemas readerSchemas;
    private volatile boolean isKey;

    /** A deserializer producing generic records (or specific ones with specific.avro.reader). */
    public AvroDeserializer() {
        this(null, null);
    }

    /**
     * @param targetType the generated class to read into, or null for the writer's record type
     * @param client the registry client to use, or null to create one from {@code
     *     schema.registry.url} in {@link #configure}
     */
    public AvroDeserializer(Class<? extends T> targetType, SchemaRegistryClient client) {
        this.targetType = targetType;
        this.injectedClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig parsed = AvroSerdeConfig.parse(configs, isKey);
        this.client = injectedClient != null ? injectedClient : parsed.newClient();
        this.isKey = isKey;
        this.readerSchemas = new ReaderSchemas(targetType, parsed.specificAvroReader());
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        ReaderSchemas readers = requireConfigured();
        String where = Where.describe(topic, isKey);
        Header header = WireFormat.parse(data, where);
        DatumReader<T> reader = readerFor(header.schemaId(), readers, where);
        try {
            // Walk the body first without building anything: a length or count that claims more than the
            // bytes hold fails here, before the real read could allocate for it.
            GenericDatumReader.skip(writersBySchemaId.get(header.schemaId()), decoder(data));
            return reader.read(null, decoder(data));
        } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new AvroSerdeException(
                    Problem.AVRO_DECODE_FAILED,
                    where + ": Avro body of " + data.length + " bytes does not decode with schema id "
                            + header.schemaId() + ": " + e,
                    e);
        }
    }

    private static BinaryDecoder decoder(byte[] data) {
        return DecoderFactory.get()
                .binaryDecoder(data, WireFormat.HEADER_BYTES, data.length - WireFormat.HEADER_BYTES, null);
    }

    private DatumReader<T> readerFor(int schemaId, ReaderSchemas readers, String where) {
        DatumReader<T> cached = readersBySchemaId.get(schemaId);
        if (cached != null) {
            return cached;
        }
        Schema writer;
        try {
            writer = client.schemaById(schemaId);
        } catch (SchemaNotFoundException e) {
            throw new AvroSerdeException(Problem.UNKNOWN_SCHEMA_ID, where + ": " + e.getMessage(), e);
        }
        Schema reader = readers.readerSchema(writer);
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() == SchemaCompatibilityType.INCOMPATIBLE) {
            throw new AvroSerdeException(
                    Problem.INCOMPATIBLE_SCHEMA,
                    where + ": data written with schema id " + schemaId + " (" + writer.getFullName()
                            + ") cannot be read as " + reader.getFullName() + ": "
                            + compatibility.getResult().getIncompatibilities(),
                    null);
        }
        writersBySchemaId.putIfAbsent(schemaId, writer);
        DatumReader<T> created = readers.datumReader(writer, reader);
        DatumReader<T> raced = readersBySchemaId.putIfAbsent(schemaId, created);
        return raced != null ? raced : created;
    }

    private ReaderSchemas requireConfigured() {
        ReaderSchemas readers = readerSchemas;
        if (readers == null) {
            throw new IllegalStateException("AvroDeserializer is not configured: call configure(configs, isKey) first");
        }
        return readers;
    }
}
