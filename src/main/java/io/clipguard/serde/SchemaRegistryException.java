package io.clipguard.serde;

import org.apache.kafka.common.KafkaException;

/**
 * The schema registry answered, but with an error: a rejected schema (HTTP 409, incompatible), an
 * invalid schema (HTTP 422), an authorisation failure, or any other status the registry reports.
 *
 * <p>Carries the HTTP status and the registry's own {@code error_code} (Confluent's codes, for
 * example 40403 "schema not found", 409 "incompatible schema", 42201 "invalid schema"), and its
 * message. Not a {@link org.apache.kafka.common.errors.SerializationException}: a registry error is
 * not by itself evidence of a bad record; the serializer and deserializer translate the cases that
 * are (see {@link AvroSerdeException}).
 */
public class SchemaRegistryException extends KafkaException {
    private static final long serialVersionUID = 1L;

    private final int httpStatus;
    private final int errorCode;

    /**
     * @param message what was attempted and what the registry said
     * @param httpStatus the HTTP status of the registry's answer
     * @param errorCode the registry's {@code error_code}, or the HTTP status when it sent none
     */
    public SchemaRegistryException(String message, int httpStatus, int errorCode) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The HTTP status of the registry's answer, for example 409. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, for example 40403; the HTTP status when it sent none. */
    public int errorCode() {
        return errorCode;
    }
}
