package io.clipguard.serde;

/**
 * Schema compatibility levels of the Confluent Schema Registry API ({@code PUT /config}).
 * Confluent's registry defaults to {@link #BACKWARD}; Apicurio's ccompat API defaults to {@link
 * #NONE}.
 */
public enum Compatibility {
    NONE,
    BACKWARD,
    BACKWARD_TRANSITIVE,
    FORWARD,
    FORWARD_TRANSITIVE,
    FULL,
    FULL_TRANSITIVE
}
