package io.clipguard.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be reached or did not answer in time: connection refused, DNS
 * failure, request timeout, or a status that means "try again later" (408, 429 and every 5xx, such as a Confluent leader fail-over's 500 with 50001-50003), 401 and 403 (credentials or a gateway), or a 404 without a registry's not-found error code (an ingress's default backend).
 *
 * <p>Transient by contract: the same record will very likely serialize or deserialize once the
 * registry is back, so callers should retry or stop, never dead-letter the record. Deliberately
 * NOT a {@link org.apache.kafka.common.errors.SerializationException}, so that a handler that
 * dead-letters bad records can tell the two apart by type alone.
 */
public class SchemaRegistryUnavailableException extends RetriableException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which registry, what was attempted and why it failed
     * @param cause the I/O failure, or null for an HTTP status
     */
    public SchemaRegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
