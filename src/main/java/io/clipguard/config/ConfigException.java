package io.clipguard.config;

/** A configuration that cannot start the application; the message names the key, the value and what is valid. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
