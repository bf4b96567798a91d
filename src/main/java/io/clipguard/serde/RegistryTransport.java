package io.clipguard.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.InterruptException;

/**
 * JSON over HTTP to a Confluent-compatible registry, turning failures into this package's exception
 * types. A registry may have several URLs: a request that finds one unreachable or answering "not
 * now" (5xx, 408, 429, 401/403) tries the next, once each, and later requests start from the one that
 * answered. Every request carries the access's headers (credentials) and, for https, its TLS context.
 * Thread-safe.
 */
final class RegistryTransport {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json, application/json";
    // Statuses that say "not now" rather than "no": the caller should retry, not dead-letter. Every
    // 5xx is one: a Confluent registry answers 500 with error codes 50001-50003 during a leader
    // fail-over, which says nothing about the schema asked for.
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429);
    /**
     * A registry's own "not found" answers: subject (40401), version (40402), schema (40403). Only these
     * say the thing asked for does not exist.
     */
    static final Set<Integer> NOT_FOUND_CODES = Set.of(40401, 40402, 40403);
    /** The answer to a schema id that the registry does not know. */
    static final int SCHEMA_NOT_FOUND = 40403;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Duration requestTimeout;
    private final HttpClient http;
    private final Map<String, String> headers;
    /** The URL that answered last: requests start there. */
    private final AtomicInteger current = new AtomicInteger();

    RegistryTransport(List<URI> baseUrls, Duration connectTimeout, Duration requestTimeout, RegistryAccess access) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("no registry URL");
        }
        this.baseUrls = baseUrls.stream()
                .map(url -> {
                    String base = url.toString();
                    return URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
                })
                .toList();
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout);
        if (access.tls() != null) {
            builder.sslContext(access.tls());
        }
        this.http = builder.build();
        this.headers = access.headers();
    }

    URI baseUrl() {
        return baseUrls.get(Math.floorMod(current.get(), baseUrls.size()));
    }

    JsonNode get(String path, String action) {
        return send("GET", path, null, action);
    }

    JsonNode post(String path, JsonNode body, String action) {
        return send("POST", path, body, action);
    }

    JsonNode put(String path, JsonNode body, String action) {
        return send("PUT", path, body, action);
    }

    static ObjectMapper json() {
        return JSON;
    }

    private JsonNode send(String method, String path, JsonNode body, String action) {
        int first = current.get();
        SchemaRegistryUnavailableException last = null;
        for (int i = 0; i < baseUrls.size(); i++) {
            int index = Math.floorMod(first + i, baseUrls.size());
            try {
                JsonNode answer = send(baseUrls.get(index), method, path, body, action);
                current.set(index);
                return answer;
            } catch (SchemaRegistryUnavailableException e) {
                last = e; // not this URL's answer to give now: the next one may
            }
        }
        throw last;
    }

    private JsonNode send(URI baseUrl, String method, String path, JsonNode body, String action) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : publisher(body));
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry at " + baseUrl + " is unreachable (" + action + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("interrupted while " + action, e);
        }
        return interpret(baseUrl, response, action);
    }

    private static JsonNode interpret(URI baseUrl, HttpResponse<String> response, String action) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return parse(baseUrl, response.body(), status, action);
        }
        if (TRANSIENT_STATUSES.contains(status) || status >= 500) {
            throw new SchemaRegistryUnavailableException(
                    "schema registry at " + baseUrl + " answered HTTP " + status + " (" + action + "), try again later",
                    null);
        }
        JsonNode error = parseQuietly(response.body());
        int errorCode = error.path("error_code").asInt(status);
        String message = error.path("message").asText(abbreviate(response.body()));
        String text =
                action + " failed at " + baseUrl + ": HTTP " + status + ", error_code " + errorCode + ": " + message;
        if (status == 401 || status == 403) {
            // expired credentials or a gateway in the way: the job's problem, never the record's
            throw new SchemaRegistryUnavailableException(text + " (check the registry credentials)", null);
        }
        if (status == 404 && NOT_FOUND_CODES.contains(errorCode)) {
            throw new SchemaNotFoundException(text, errorCode);
        }
        if (status == 404) {
            // a 404 without a registry's error code is not the registry answering: an ingress's default
            // backend or a wrong base URL, which says nothing about the schema asked for
            throw new SchemaRegistryUnavailableException(
                    text + " (a 404 without a registry error code: is " + baseUrl + " the registry?)", null);
        }
        throw new SchemaRegistryException(text, status, errorCode);
    }

    private static JsonNode parse(URI baseUrl, String body, int status, String action) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException(
                    action + " at " + baseUrl + ": HTTP " + status + " with a body that is not JSON: "
                            + abbreviate(body),
                    status,
                    status);
        }
    }

    private static JsonNode parseQuietly(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static HttpRequest.BodyPublisher publisher(JsonNode body) {
        try {
            return HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON request body", e);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
