package io.clipguard.ingest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The status line and headers of an HTTP/1.x response, read with hard limits so that a hostile
 * server cannot make the reader buffer without end: 8 KiB per line, 100 header lines.
 *
 * @param status  the status code
 * @param headers header names in lower case to their first value
 */
record HttpResponseHead(int status, Map<String, String> headers) {

    private static final int MAX_LINE_BYTES = 8 * 1024;
    private static final int MAX_HEADERS = 100;

    static HttpResponseHead read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("\\d{3}")) {
            throw new MalformedResponseException("not an HTTP/1.x status line: " + printable(statusLine));
        }
        Map<String, String> headers = new HashMap<>();
        for (int count = 0; ; count++) {
            String line = line(in);
            if (line.isEmpty()) {
                return new HttpResponseHead(Integer.parseInt(parts[1]), Map.copyOf(headers));
            }
            int colon = line.indexOf(':');
            if (count >= MAX_HEADERS || colon <= 0) {
                throw new MalformedResponseException(
                        count >= MAX_HEADERS
                                ? "more than " + MAX_HEADERS + " headers"
                                : "malformed header line: " + printable(line));
            }
            headers.putIfAbsent(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
    }

    Optional<String> header(String lowerCaseName) {
        return Optional.ofNullable(headers.get(lowerCaseName));
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1, without its terminator. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new MalformedResponseException("connection closed inside the response head");
            }
            if (line.size() == MAX_LINE_BYTES) {
                throw new MalformedResponseException("response head line longer than " + MAX_LINE_BYTES + " bytes");
            }
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static String printable(String text) {
        String cut = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The server's bytes are not a valid HTTP response: retrying will not help. */
    static final class MalformedResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }
}
