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
 * registry does: {@link Mode#DOWN} drops every connection without an answer, {@link Mode#SILENT}
 * accepts and never answers, {@link Mode#ERROR_500}
 * answers as a Confluent registry does during a leader fail-over (HTTP 500, error code 50003), {@link
 * Mode#UNAUTHORIZED_401} as one whose credentials expired, {@link Mode#HTML_404} as an ingress's
 * default backend.
 */
final class RegistryProxy implements AutoCloseable {

    enum Mode {
        FORWARD,
        DOWN,
        /** Accepts every connection and request, and never answers: a hung registry or a black hole. */
        SILENT,
        ERROR_500,
        /** Expired credentials, or a gateway that wants some. */
        UNAUTHORIZED_401,
        /** An ingress's default backend: an HTML page, no registry error code. */
        HTML_404
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
            if (now == Mode.SILENT) {
                refused.incrementAndGet();
                while (mode == Mode.SILENT) { // hold the exchange open, answering nothing
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                return;
            }
            if (now == Mode.ERROR_500) {
                answer(
                        exchange,
                        500,
                        "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");
                return;
            }
            if (now == Mode.UNAUTHORIZED_401) {
                answer(exchange, 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");
                return;
            }
            if (now == Mode.HTML_404) {
                exchange.getResponseHeaders().add("Content-Type", "text/html");
                answer(exchange, 404, "<html><body><h1>404 Not Found</h1>default backend</body></html>");
                return;
            }
            forward(exchange);
        }
    }

    private void answer(HttpExchange exchange, int status, String text) throws IOException {
        refused.incrementAndGet();
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
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
