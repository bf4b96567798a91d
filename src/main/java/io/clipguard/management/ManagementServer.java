package io.clipguard.management;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management HTTP endpoints: {@code /health/live} and {@code /health/ready} (200 when up, 503
 * when down, with a one-line JSON reason) and {@code /metrics} in the Prometheus text format. Binds
 * to loopback unless told otherwise. Two daemon threads; close to stop.
 */
public final class ManagementServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;

    private ManagementServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code host:port} ({@code port} 0 is not allowed here: the caller turns the
     * server off instead of starting it).
     *
     * @param metrics the Prometheus exposition text, made on each scrape
     * @throws UncheckedIOException when the address cannot be bound (for example the port is taken)
     */
    public static ManagementServer start(String host, int port, HealthCheck health, Supplier<String> metrics) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
            ExecutorService executor = Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "management-http");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(executor);
            server.createContext("/health/live", exchange -> status(exchange, health.live()));
            server.createContext("/health/ready", exchange -> status(exchange, health.ready()));
            server.createContext("/metrics", exchange -> send(exchange, 200, PROMETHEUS_TEXT, metrics.get()));
            server.createContext(
                    "/",
                    exchange -> send(
                            exchange,
                            404,
                            "text/plain; charset=utf-8",
                            "not found: try /health/live, /health/ready or /metrics\n"));
            server.start();
            LOG.info(
                    "management endpoints on http://{}:{}/ (health/live, health/ready, metrics)",
                    host,
                    server.getAddress().getPort());
            return new ManagementServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serve the management endpoints on " + host + ":" + port
                            + " (clipguard.management.host/port): " + e.getMessage(),
                    e);
        }
    }

    private static void status(HttpExchange exchange, HealthCheck.Status status) throws IOException {
        String body = "{\"status\":\"" + (status.up() ? "UP" : "DOWN") + "\",\"reason\":\""
                + status.reason().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}\n";
        send(exchange, status.up() ? 200 : 503, "application/json", body);
    }

    private static void send(HttpExchange exchange, int code, String contentType, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(code, -1);
                return;
            }
            exchange.sendResponseHeaders(code, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (RuntimeException e) {
            LOG.warn("management endpoint {} failed", exchange.getRequestURI(), e);
            throw e;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
