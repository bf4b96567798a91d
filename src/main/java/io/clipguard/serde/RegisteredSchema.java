package io.clipguard.serde;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a subject as the registry reports it.
 *
 * @param subject the subject, for example {@code uploads-value}
 * @param version the subject's version number, from 1
 * @param id the registry-wide schema id written into the Confluent wire format
 * @param schema the parsed Avro schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {
    /** Validates that subject and schema are present. */
    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
    }
}
