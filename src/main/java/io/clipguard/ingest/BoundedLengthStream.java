package io.clipguard.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The first {@code lengthBytes} of a stream, then end of stream: a body with a Content-Length. */
final class BoundedLengthStream extends FilterInputStream {

    private long remaining;

    BoundedLengthStream(InputStream in, long lengthBytes) {
        super(in);
        this.remaining = lengthBytes;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remaining));
        if (read > 0) {
            remaining -= read;
        }
        return read;
    }
}
