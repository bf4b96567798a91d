package io.clipguard.serde;

import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API that an Avro serde needs.
 *
 * <p>Implementations must be thread-safe: one client is shared by the serializer and the
 * deserializer of a serde, and Kafka Streams calls those from all of its stream threads.
 *
 * <p>Failure modes common to all methods: {@link SchemaRegistryUnavailableException} when the
 * registry cannot be reached or asks to retry later (transient); {@link SchemaRegistryException}
 * when it answers with an error.
 */
public interface SchemaRegistryClient {

    /**
     * Registers {@code schema} under {@code subject}, or finds it if it is already registered there.
     *
     * @return the registry-wide schema id
     * @throws SchemaRegistryException with status 409 when the schema is incompatible with the
     *     subject's earlier versions, 422 when it is invalid
     */
    int register(String subject, Schema schema);

    /**
     * Finds the id of {@code schema} among the versions of {@code subject}, registering nothing.
     *
     * @throws SchemaNotFoundException when the subject does not exist or lacks that schema
     */
    int lookup(String subject, Schema schema);

    /**
     * The schema with the given registry-wide id.
     *
     * @throws SchemaNotFoundException when no schema has that id
     */
    Schema schemaById(int id);

    /** The newest version of {@code subject}, or empty when the subject does not exist. */
    Optional<RegisteredSchema> latest(String subject);

    /** Sets the registry-wide default compatibility level ({@code PUT /config}). */
    void updateGlobalCompatibility(Compatibility level);
}
