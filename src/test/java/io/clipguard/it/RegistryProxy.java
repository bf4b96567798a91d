package io.clipguard.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real socket on 127.0.0.1 in front of a real schema registry, that can be told to fail the way a
 * registry does: {@link Mode#DOWN} drops every connection without an answer, {@link Mode#ERROR_500}
 * answers as a Confluent registry does during a leader fail-over (HTTP 500, error code 50003).
 */
final class RegistryProxy implements AutoCloseable {

    enum Mode {
        FORWARD,
        DOWN,
        ERROR_500
    }

    private final HttpServer server;
    private final URI target;
    private final HttpClient client = HttpClient.newHttpClient();
    private volatile Mode mode = Mode.FORWARD;
    final AtomicInteger refused = new AtomicInteger();

    RegistryProxy(URI target) throws IOException {
        this.target = target;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::handle);
        server.start();
    }

    /** The proxy's URL, with the target's path (for example /apis/ccompat/v7). */
    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + target.getPath());
    }

    void mode(Mode next) {
        mode = next;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Mode now = mode;
            if (now == Mode.DOWN) {
                refused.incrementAndGet();
                return; // closed without an answer: the client sees the connection end
            }
            if (now == Mode.ERROR_500) {
                refused.incrementAndGet();
                byte[] body = "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(500, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            forward(exchange);
        }
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI to = URI.create(target.getScheme() + "://" + target.getAuthority() + exchange.getRequestURI());
        byte[] requestBody = exchange.getRequestBody().readAllBytes();
        HttpRequest.Builder request = HttpRequest.newBuilder(to)
                .method(
                        exchange.getRequestMethod(),
                        requestBody.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(requestBody));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Content-Type").ifPresent(type -> exchange.getResponseHeaders()
                    .add("Content-Type", type));
            exchange.sendResponseHeaders(
                    response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            exchange.getResponseBody().write(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
