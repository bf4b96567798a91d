package io.clipguard.model;

/**
 * A model bundle, or the engine asked of it, cannot be used. Thrown at start-up only.
 *
 * <p>The message is one line: it names the file (usually {@code manifest.json}), the key or entry,
 * what is wrong and what would fix it, so an operator can act on the log line alone.
 */
public final class BundleException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception whose message is flattened to one line. */
    public BundleException(String message) {
        super(oneLine(message));
    }

    /** Creates an exception whose message is flattened to one line, keeping the cause. */
    public BundleException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
