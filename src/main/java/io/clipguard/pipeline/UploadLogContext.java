package io.clipguard.pipeline;

import org.slf4j.MDC;

/**
 * The upload a log line is about, as the logging context's {@code upload_id} (a field of its own in
 * JSON logs), for the lines logged inside a try-with-resources block. Ids are cut to 256 characters
 * here: a hostile id must not make a log line a megabyte.
 */
public final class UploadLogContext implements AutoCloseable {

    static final String KEY = "upload_id";
    private static final int MAX_CHARS = 256;

    private final String previous;

    private UploadLogContext(String uploadId) {
        this.previous = MDC.get(KEY);
        if (uploadId == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, uploadId.length() > MAX_CHARS ? uploadId.substring(0, MAX_CHARS) + "..." : uploadId);
        }
    }

    /** Puts the id (none for null) in the context until {@link #close}. */
    public static UploadLogContext of(String uploadId) {
        return new UploadLogContext(uploadId);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
