package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads a body to its end, but never more than {@code maxBytes} and never past a deadline: a
 * server that sends without end, or one byte per read timeout, is cut off.
 */
final class BoundedRead {

    private static final int BUFFER_BYTES = 64 * 1024;

    private BoundedRead() {}

    static byte[] readAll(InputStream in, long maxBytes, Instant deadline, Clock clock)
            throws IOException, FetchException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            total += read;
            if (total > maxBytes) {
                throw new FetchException(Failure.TOO_LARGE, "the image has more than " + maxBytes + " bytes");
            }
            out.write(buffer, 0, read);
            if (clock.instant().isAfter(deadline)) {
                throw new FetchException(
                        Failure.TRANSIENT, "the fetch took longer than its timeout after " + total + " bytes");
            }
        }
        return out.toByteArray();
    }
}
