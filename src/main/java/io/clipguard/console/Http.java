package io.clipguard.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One request and its response: the parsed query and form, cookies, and the few ways a page answers.
 * A form body over {@link #MAX_FORM_BYTES} or a parameter given twice is refused as a bad request.
 */
final class Http {

    static final int MAX_FORM_BYTES = 64 * 1024;

    /** A request the console refuses, with the status and a message for the person who sent it. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    final HttpExchange exchange;
    final String method;
    final String path;
    private final Map<String, String> query;
    private Map<String, String> form;

    Http(HttpExchange exchange) throws Refused {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getRawPath();
        this.query = parse(exchange.getRequestURI().getRawQuery());
    }

    /** A query parameter. */
    Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    /** A form field of a POST. */
    Optional<String> form(String name) throws Refused {
        if (form == null) {
            form = parse(readBody());
        }
        return Optional.ofNullable(form.get(name));
    }

    /** A cookie's value. */
    Optional<String> cookie(String name) {
        String header = exchange.getRequestHeaders().getFirst("Cookie");
        if (header == null) {
            return Optional.empty();
        }
        for (String part : header.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(name)) {
                return Optional.of(part.substring(eq + 1).trim());
            }
        }
        return Optional.empty();
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    void html(int status, String page) throws IOException {
        send(status, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8));
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** 303 See Other: after a POST, the browser GETs {@code location}. */
    void redirect(String location) throws IOException {
        exchange.getResponseHeaders().set("Location", location);
        exchange.sendResponseHeaders(303, -1);
        exchange.close();
    }

    private String readBody() throws Refused {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_FORM_BYTES + 1);
            if (body.length > MAX_FORM_BYTES) {
                throw new Refused(413, "the form is larger than " + MAX_FORM_BYTES + " bytes");
            }
            return new String(body, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new Refused(400, "the form could not be read");
        }
    }

    private static Map<String, String> parse(String encoded) throws Refused {
        Map<String, String> values = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return values;
        }
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (values.put(name, value) != null) {
                    throw new Refused(400, "the parameter " + Text.shown(name) + " is given twice");
                }
            } catch (IllegalArgumentException e) {
                throw new Refused(400, "a parameter is not URL-encoded");
            }
        }
        return values;
    }
}
