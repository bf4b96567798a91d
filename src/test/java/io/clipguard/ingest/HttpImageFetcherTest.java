package io.clipguard.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.ingest.FetchException.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Against a local server on 127.0.0.1, with the guard configured to allow exactly that address. */
class HttpImageFetcherTest {

    private static final byte[] IMAGE = "pretend this is a JPEG".getBytes(StandardCharsets.US_ASCII);

    private final LocalImageServer server = new LocalImageServer();

    HttpImageFetcherTest() throws IOException {}

    @AfterEach
    void stop() {
        server.close();
    }

    static FetchSettings loopbackAllowed(Duration readTimeout, Duration fetchTimeout, int maxRedirects) {
        return new FetchSettings(
                Set.of("http"),
                List.of(),
                List.of("127.0.0.1/32"),
                Set.of(),
                Duration.ofSeconds(1),
                readTimeout,
                fetchTimeout,
                maxRedirects,
                3,
                Duration.ofMillis(10),
                java.util.Optional.empty(),
                FetchSettings.DEFAULTS.deadline(),
                FetchSettings.DEFAULTS.threads());
    }

    private static HttpImageFetcher fetcher(FetchSettings settings) {
        return new HttpImageFetcher(
                new SsrfGuard(settings), settings, (SSLSocketFactory) SSLSocketFactory.getDefault(), Clock.systemUTC());
    }

    private final HttpImageFetcher fetcher = fetcher(loopbackAllowed(Duration.ofSeconds(2), Duration.ofSeconds(5), 2));

    @Test
    void fetchesWithContentLengthAndChunked() throws Exception {
        server.serve("/fixed.jpg", IMAGE);
        server.handle("/chunked.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(IMAGE, 0, 5);
                out.flush();
                out.write(IMAGE, 5, IMAGE.length - 5);
            }
        });

        assertArrayEquals(IMAGE, fetcher.fetch(server.uri("/fixed.jpg"), 1000));
        assertArrayEquals(IMAGE, fetcher.fetch(server.uri("/chunked.jpg?sig=abc"), 1000));
    }

    @Test
    void sendsTheHostNameWhileConnectingToThePinnedAddress() throws Exception {
        server.serve("/a.jpg", IMAGE);
        FetchSettings settings = loopbackAllowed(Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
        HttpImageFetcher named = new HttpImageFetcher(
                new SsrfGuard(settings, host -> new InetAddress[] {InetAddress.getLoopbackAddress()}),
                settings,
                (SSLSocketFactory) SSLSocketFactory.getDefault(),
                Clock.systemUTC());

        assertArrayEquals(IMAGE, named.fetch(URI.create("http://images.test:" + server.port() + "/a.jpg"), 1000));
        assertEquals(List.of("images.test:" + server.port()), server.hostHeaders());
    }

    @Test
    void refusesLoopbackUnlessAllowed() {
        server.serve("/a.jpg", IMAGE);
        FetchSettings d = FetchSettings.DEFAULTS;
        FetchSettings strict = new FetchSettings(
                Set.of("http"),
                List.of(),
                List.of(),
                Set.of(),
                d.connectTimeout(),
                d.readTimeout(),
                d.fetchTimeout(),
                2,
                1,
                d.retryBackoff(),
                d.fileBaseDir(),
                d.deadline(),
                d.threads());

        assertFailure(Failure.REFUSED, fetcher(strict), server.uri("/a.jpg"), 1000);
        assertTrue(server.hostHeaders().isEmpty(), "never connected");
    }

    @Test
    void stopsReadingAtTheByteLimit() {
        server.serve("/big.jpg", new byte[10_000]);
        server.handle("/endless.jpg", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100_000; i++) {
                    out.write(new byte[64 * 1024]);
                }
            } catch (IOException expected) {
                // the client hung up at its limit
            }
        });

        assertFailure(Failure.TOO_LARGE, fetcher, server.uri("/big.jpg"), 9_999);
        assertTimeoutPreemptively(
                Duration.ofSeconds(5),
                () -> assertFailure(Failure.TOO_LARGE, fetcher, server.uri("/endless.jpg"), 1_000_000));
    }

    @Test
    void followsRedirectsAndChecksEveryHop() throws Exception {
        server.serve("/final.jpg", IMAGE);
        server.redirect("/one", "/two", 302);
        server.redirect("/two", server.uri("/final.jpg").toString(), 301);
        server.redirect("/loop", "/loop", 307);
        server.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/", 302);
        server.redirect("/to-other-loopback", "http://127.0.0.2:" + server.port() + "/final.jpg", 302);

        assertArrayEquals(IMAGE, fetcher.fetch(server.uri("/one"), 1000));
        assertFailure(Failure.PERMANENT, fetcher, server.uri("/loop"), 1000);
        assertFailure(Failure.REFUSED, fetcher, server.uri("/to-metadata"), 1000);
        assertFailure(Failure.REFUSED, fetcher, server.uri("/to-other-loopback"), 1000);
    }

    @Test
    void classifiesStatusesAsTransientOrPermanent() {
        server.flaky("/gone", 1000, 404, IMAGE);
        server.flaky("/busy", 1000, 503, IMAGE);
        server.flaky("/slow-down", 1000, 429, IMAGE);

        assertFailure(Failure.PERMANENT, fetcher, server.uri("/gone"), 1000);
        assertFailure(Failure.TRANSIENT, fetcher, server.uri("/busy"), 1000);
        assertFailure(Failure.TRANSIENT, fetcher, server.uri("/slow-down"), 1000);
    }

    @Test
    void cutsOffSilentAndDrippingServers() {
        server.handle("/silent", exchange -> sleep(3000));
        server.handle("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 100; i++) {
                    out.write('x');
                    out.flush();
                    sleep(50);
                }
            } catch (IOException expected) {
                // the client hung up
            }
        });
        HttpImageFetcher impatient = fetcher(loopbackAllowed(Duration.ofMillis(300), Duration.ofMillis(600), 2));

        assertTimeoutPreemptively(Duration.ofSeconds(3), () -> {
            assertFailure(Failure.TRANSIENT, impatient, server.uri("/silent"), 1000);
            assertFailure(Failure.TRANSIENT, impatient, server.uri("/drip"), 1000);
        });
    }

    @Test
    void cutsOffAServerDrippingItsHeaders() throws Exception {
        HttpImageFetcher impatient = fetcher(loopbackAllowed(Duration.ofMillis(300), Duration.ofMillis(600), 2));
        try (ServerSocket slowloris = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread drip = new Thread(() -> {
                try (Socket client = slowloris.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    for (int i = 0; i < 200; i++) {
                        out.write('X');
                        out.flush();
                        sleep(50);
                    }
                } catch (IOException expected) {
                    // the client hung up
                }
            });
            drip.start();
            URI uri = URI.create("http://127.0.0.1:" + slowloris.getLocalPort() + "/");
            assertTimeoutPreemptively(
                    Duration.ofSeconds(2), () -> assertFailure(Failure.TRANSIENT, impatient, uri, 1000));
            drip.join();
        }
    }

    @Test
    void refusesEncodedBodiesAndMalformedResponses() throws Exception {
        server.handle("/gzip", exchange -> {
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            LocalImageServer.send(exchange, 200, IMAGE);
        });
        assertFailure(Failure.PERMANENT, fetcher, server.uri("/gzip"), 1000);

        try (ServerSocket garbage = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answer = new Thread(() -> {
                try (Socket client = garbage.accept()) {
                    client.getOutputStream().write("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // the test fails on its own if this does not answer
                }
            });
            answer.start();
            assertFailure(
                    Failure.PERMANENT, fetcher, URI.create("http://127.0.0.1:" + garbage.getLocalPort() + "/"), 1000);
            answer.join();
        }
    }

    static void assertFailure(Failure expected, ImageFetcher fetcher, URI uri, long maxBytes) {
        FetchException e = assertThrows(FetchException.class, () -> fetcher.fetch(uri, maxBytes));
        assertEquals(expected, e.failure(), e.getMessage());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
