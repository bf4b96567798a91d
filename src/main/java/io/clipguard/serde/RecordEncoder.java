package io.clipguard.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Encodes a record as Avro binary with a given writer schema. When the writer schema is the
 * record's own, the record is written directly; otherwise (with {@code use.latest.version}) it is
 * converted by Avro schema resolution first, so fields are matched by name and missing ones take
 * their defaults. Thread-safe: datum writers are stateless and cached per schema pair.
 */
final class RecordEncoder {
    private record SchemaPair(Schema record, Schema writer) {}

    private final Map<Schema, DatumWriter<Object>> specificWriters = new ConcurrentHashMap<>();
    private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
    private final Map<SchemaPair, GenericDatumReader<Object>> converters = new ConcurrentHashMap<>();

    /**
     * @throws IOException or a runtime exception from Avro when the record does not fit the schema
     */
    byte[] encode(IndexedRecord record, Schema writerSchema) throws IOException {
        Schema recordSchema = record.getSchema();
        if (recordSchema.equals(writerSchema)) {
            return write(record, writerFor(record));
        }
        byte[] asRecordSchema = write(record, writerFor(record));
        GenericDatumReader<Object> converter = converters.computeIfAbsent(
                new SchemaPair(recordSchema, writerSchema),
                pair -> new GenericDatumReader<>(pair.record(), pair.writer(), GenericData.get()));
        Object converted = converter.read(null, DecoderFactory.get().binaryDecoder(asRecordSchema, null));
        return write(converted, genericWriter(writerSchema));
    }

    private DatumWriter<Object> writerFor(IndexedRecord record) {
        Schema schema = record.getSchema();
        if (record instanceof SpecificRecord) {
            // The generated class's model carries its logical-type conversions (Instant, BigDecimal).
            return specificWriters.computeIfAbsent(
                    schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(record.getClass())));
        }
        return genericWriter(schema);
    }

    private DatumWriter<Object> genericWriter(Schema schema) {
        return genericWriters.computeIfAbsent(schema, s -> new GenericDatumWriter<>(s, GenericData.get()));
    }

    private static byte[] write(Object datum, DatumWriter<Object> writer) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
