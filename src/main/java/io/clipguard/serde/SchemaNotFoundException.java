package io.clipguard.serde;

/**
 * The registry has no such schema: an unknown schema id, or a schema that is not registered
 * under the subject that was asked (HTTP 404).
 */
public class SchemaNotFoundException extends SchemaRegistryException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which schema was looked up where, and what the registry said
     * @param errorCode the registry's {@code error_code}, for example 40403
     */
    public SchemaNotFoundException(String message, int errorCode) {
        super(message, 404, errorCode);
    }
}
