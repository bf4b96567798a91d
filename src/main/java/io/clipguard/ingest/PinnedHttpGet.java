package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 GET over a connection to an address the guard has checked, never to whatever the
 * host name resolves to now. For https the TLS handshake still sends the host name (SNI) and
 * verifies the certificate against it. Asks for the identity encoding, closes the connection after
 * the response, reads the body only for 2xx, and bounds every step by the timeouts.
 * Thread-safe: no state between calls.
 */
final class PinnedHttpGet {

    /** A response: its status, its {@code Location} if any, and the body of a 2xx response. */
    record Reply(int status, Optional<String> location, byte[] body) {}

    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final SSLSocketFactory tls;
    private final Clock clock;

    PinnedHttpGet(Duration connectTimeout, Duration readTimeout, SSLSocketFactory tls, Clock clock) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.tls = tls;
        this.clock = clock;
    }

    Reply get(URI uri, InetSocketAddress address, long maxBytes, Instant deadline) throws IOException, FetchException {
        try (Socket socket = connect(uri, address)) {
            OutputStream out = socket.getOutputStream();
            out.write(request(uri, address.getPort()).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(
                    new DeadlineInputStream(socket, socket.getInputStream(), readTimeout, deadline, clock));
            HttpResponseHead head = HttpResponseHead.read(in);
            if (head.status() / 100 != 2) {
                return new Reply(head.status(), head.header("location"), new byte[0]);
            }
            return new Reply(head.status(), Optional.empty(), body(head, in, maxBytes, deadline));
        }
    }

    private Socket connect(URI uri, InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            if (!uri.getScheme().equalsIgnoreCase("https")) {
                return socket;
            }
            SSLSocket secure = (SSLSocket) tls.createSocket(socket, uri.getHost(), address.getPort(), true);
            SSLParameters parameters = secure.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!uri.getHost().startsWith("[") && !uri.getHost().matches("[0-9.]+")) {
                parameters.setServerNames(List.of(new SNIHostName(uri.getHost())));
            }
            secure.setSSLParameters(parameters);
            secure.startHandshake();
            return secure;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String request(URI uri, int port) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        boolean defaultPort = port == (uri.getScheme().equalsIgnoreCase("https") ? 443 : 80);
        String host = uri.getHost() + (defaultPort ? "" : ":" + port);
        return "GET " + path + query + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: clipguard\r\n"
                + "Accept: image/*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n";
    }

    private byte[] body(HttpResponseHead head, InputStream in, long maxBytes, Instant deadline)
            throws IOException, FetchException {
        String encoding = head.header("content-encoding").orElse("identity");
        if (!encoding.equalsIgnoreCase("identity")) {
            throw new FetchException(Failure.PERMANENT, "content-encoding " + encoding + " is not accepted");
        }
        if (head.header("transfer-encoding")
                .map(te -> te.toLowerCase().contains("chunked"))
                .orElse(false)) {
            return BoundedRead.readAll(new ChunkedInputStream(in), maxBytes, deadline, clock);
        }
        Optional<String> length = head.header("content-length");
        if (length.isPresent()) {
            long declared = contentLength(length.get());
            if (declared > maxBytes) {
                throw new FetchException(
                        Failure.TOO_LARGE, "the image has " + declared + " bytes, over the limit of " + maxBytes);
            }
            byte[] body = BoundedRead.readAll(new BoundedLengthStream(in, declared), declared, deadline, clock);
            if (body.length != declared) {
                throw new IOException("connection closed after " + body.length + " of " + declared + " bytes");
            }
            return body;
        }
        return BoundedRead.readAll(in, maxBytes, deadline, clock);
    }

    private static long contentLength(String value) throws IOException {
        if (!value.matches("\\d{1,18}")) {
            throw new HttpResponseHead.MalformedResponseException("bad content-length " + value);
        }
        return Long.parseLong(value);
    }
}
