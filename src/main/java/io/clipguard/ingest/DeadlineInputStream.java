package io.clipguard.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A socket's input that ends at a deadline: before each read the socket's timeout is set to the
 * shorter of the read timeout and the time left, so a server that dribbles its status line, headers
 * or body one byte at a time is cut off at the deadline, not after one read timeout per byte.
 */
final class DeadlineInputStream extends FilterInputStream {

    private final Socket socket;
    private final Duration readTimeout;
    private final Instant deadline;
    private final Clock clock;

    DeadlineInputStream(Socket socket, InputStream in, Duration readTimeout, Instant deadline, Clock clock) {
        super(in);
        this.socket = socket;
        this.readTimeout = readTimeout;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public int read() throws IOException {
        armTimeout();
        return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        armTimeout();
        return in.read(buffer, offset, length);
    }

    private void armTimeout() throws IOException {
        long leftMillis = Duration.between(clock.instant(), deadline).toMillis();
        if (leftMillis <= 0) {
            throw new SocketTimeoutException("the fetch took longer than its timeout");
        }
        socket.setSoTimeout((int) Math.min(readTimeout.toMillis(), leftMillis));
    }
}
