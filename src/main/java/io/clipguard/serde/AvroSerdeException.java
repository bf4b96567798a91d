package io.clipguard.serde;

import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record could not be serialized or deserialized because of the record itself (or the schema it
 * was written with): the bytes are not Confluent-framed Avro, the schema id is unknown, the data
 * does not decode, the schema was rejected by the registry. Retrying the same record will fail
 * the same way; it belongs in a dead-letter topic.
 *
 * <p>The message names the topic, whether the key or the value failed, and the problem. {@link
 * #problem()} is a stable code for dead-letter records and metrics.
 */
public class AvroSerdeException extends SerializationException {
    private static final long serialVersionUID = 1L;

    /** Stable reason codes; their names may be written into dead-letter records. */
    public enum Problem {
        /** The first byte is not the Confluent magic byte 0. */
        BAD_MAGIC_BYTE,
        /** Fewer than the 5 header bytes (magic byte and schema id). */
        TRUNCATED_HEADER,
        /** The schema id in the header is not known to the registry. */
        UNKNOWN_SCHEMA_ID,
        /** The writer's schema cannot be read with the reader's schema. */
        INCOMPATIBLE_SCHEMA,
        /** The Avro body does not decode with the writer's schema (corrupt or truncated). */
        AVRO_DECODE_FAILED,
        /** The record could not be encoded with the writer schema (for example a null in a non-null field). */
        AVRO_ENCODE_FAILED,
        /** Auto-registration is off and the record's schema is not registered under the subject. */
        SCHEMA_NOT_REGISTERED,
        /** The registry refused to register the record's schema (incompatible or invalid). */
        SCHEMA_REJECTED
    }

    private final Problem problem;

    /**
     * @param problem the stable reason code
     * @param message topic, key or value, and what went wrong
     * @param cause the underlying failure, or null
     */
    public AvroSerdeException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** Why the record failed, as a stable code. */
    public Problem problem() {
        return problem;
    }
}
