package io.clipguard.policy;

/** A policy that cannot be used; the message names the source, the label and the field. */
public final class PolicyException extends RuntimeException {

    public PolicyException(String message) {
        super(message);
    }

    public PolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
