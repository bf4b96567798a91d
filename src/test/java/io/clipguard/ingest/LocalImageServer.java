package io.clipguard.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** An HTTP server on 127.0.0.1 for fetch tests; records each request's Host header. */
public final class LocalImageServer implements AutoCloseable {

    private final HttpServer server;
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();

    public LocalImageServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    public List<String> hostHeaders() {
        return hostHeaders;
    }

    public void handle(String path, HttpHandler handler) {
        server.createContext(path, exchange -> {
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            try (exchange) {
                handler.handle(exchange);
            }
        });
    }

    /** Serves fixed bytes with a Content-Length. */
    public void serve(String path, byte[] body) {
        handle(path, exchange -> send(exchange, 200, body));
    }

    /** Fails with {@code status} the first {@code failures} times, then serves {@code body}. */
    public AtomicInteger flaky(String path, int failures, int status, byte[] body) {
        AtomicInteger calls = new AtomicInteger();
        handle(path, exchange -> send(exchange, calls.incrementAndGet() <= failures ? status : 200, body));
        return calls;
    }

    public void redirect(String path, String location, int status) {
        handle(path, exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(status, -1);
        });
    }

    public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
