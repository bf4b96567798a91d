package io.clipguard.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Chooses the reader's schema and data model for a writer's schema: the target class when there
 * is one; else the generated class named like the writer's record when {@code
 * specific.avro.reader} is on and such a class is on the classpath; else generic records.
 */
final class ReaderSchemas {
    private final Class<?> targetType;
    private final boolean specificAvroReader;

    ReaderSchemas(Class<?> targetType, boolean specificAvroReader) {
        this.targetType = targetType;
        this.specificAvroReader = specificAvroReader;
    }

    Schema readerSchema(Schema writer) {
        Class<?> type = specificType(writer);
        return type == null ? writer : SpecificData.getForClass(type).getSchema(type);
    }

    <T> DatumReader<T> datumReader(Schema writer, Schema reader) {
        Class<?> type = specificType(writer);
        if (type == null) {
            return new GenericDatumReader<>(writer, reader, GenericData.get());
        }
        // The generated class's model carries its logical-type conversions (Instant, BigDecimal).
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(type));
    }

    private Class<?> specificType(Schema writer) {
        if (targetType != null) {
            return targetType;
        }
        if (!specificAvroReader || writer.getType() != Schema.Type.RECORD) {
            return null;
        }
        return SpecificData.get().getClass(writer);
    }
}
