package io.clipguard.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Decodes an HTTP/1.1 chunked body: hex size line (extensions ignored), data, CRLF, ..., a zero
 * chunk; trailers are never read (the connection is closed after the body). Malformed framing fails with
 * {@link HttpResponseHead.MalformedResponseException}. Not thread-safe.
 */
final class ChunkedInputStream extends FilterInputStream {

    private static final int MAX_SIZE_LINE = 1024;

    private long remainingInChunk;
    private boolean finished;

    ChunkedInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (finished) {
            return -1;
        }
        if (remainingInChunk == 0) {
            remainingInChunk = nextChunkSize();
            if (remainingInChunk == 0) {
                finished = true;
                return -1;
            }
        }
        int read = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
        if (read < 0) {
            throw new HttpResponseHead.MalformedResponseException("connection closed inside a chunk");
        }
        remainingInChunk -= read;
        if (remainingInChunk == 0) {
            expectLineEnd(line());
        }
        return read;
    }

    private long nextChunkSize() throws IOException {
        String line = line();
        int extension = line.indexOf(';');
        String hex = (extension >= 0 ? line.substring(0, extension) : line).trim();
        if (hex.isEmpty() || hex.length() > 15 || !hex.matches("[0-9A-Fa-f]+")) {
            throw new HttpResponseHead.MalformedResponseException("bad chunk size line");
        }
        return Long.parseLong(hex, 16);
    }

    private static void expectLineEnd(String rest) throws IOException {
        if (!rest.isEmpty()) {
            throw new HttpResponseHead.MalformedResponseException("chunk not followed by CRLF");
        }
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0 || line.length() > MAX_SIZE_LINE) {
                throw new HttpResponseHead.MalformedResponseException("bad chunk framing");
            }
            line.append((char) b);
        }
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }
}
