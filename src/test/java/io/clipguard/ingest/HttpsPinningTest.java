package io.clipguard.ingest;

import static io.clipguard.ingest.HttpImageFetcherTest.assertFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.clipguard.ingest.FetchException.Failure;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https on a pinned address: the connection goes to the checked 127.0.0.1 while TLS still sends
 * and verifies the host name. A self-signed certificate for {@code images.test}, made with the
 * JDK's keytool, is the only one trusted.
 */
class HttpsPinningTest {

    private static final byte[] IMAGE = {1, 2, 3, 4};
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private HttpsServer server;
    private SSLContext tls;

    @BeforeEach
    void start() throws Exception {
        Path keystore = dir.resolve("images.p12");
        Process keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "images",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=images.test",
                        "-ext",
                        "SAN=dns:images.test",
                        "-validity",
                        "2",
                        "-keystore",
                        keystore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        "changeit")
                .redirectErrorStream(true)
                .start();
        keytool.getInputStream().readAllBytes();
        assertEquals(0, keytool.waitFor(), "keytool");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        tls = context(store);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/a.jpg", exchange -> {
            exchange.sendResponseHeaders(200, IMAGE.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(IMAGE);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void verifiesTheHostNameOnThePinnedConnection() throws Exception {
        assertArrayEquals(IMAGE, fetcher().fetch(uri("images.test"), 100));
    }

    @Test
    void refusesACertificateForAnotherName() {
        assertFailure(Failure.PERMANENT, fetcher(), uri("other.test"), 100);
        assertFailure(Failure.PERMANENT, fetcher(), uri("127.0.0.1"), 100);
    }

    private URI uri(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/a.jpg");
    }

    /** Every host name resolves to 127.0.0.1, which the guard is told to allow. */
    private HttpImageFetcher fetcher() {
        FetchSettings settings = new FetchSettings(
                Set.of("https"),
                List.of(),
                List.of("127.0.0.1/32"),
                Set.of(),
                Duration.ofSeconds(2),
                Duration.ofSeconds(2),
                Duration.ofSeconds(5),
                0,
                1,
                Duration.ofMillis(10),
                Optional.empty(),
                FetchSettings.DEFAULTS.deadline(),
                FetchSettings.DEFAULTS.threads());
        SsrfGuard guard = new SsrfGuard(settings, host -> new InetAddress[] {InetAddress.getLoopbackAddress()});
        return new HttpImageFetcher(guard, settings, tls.getSocketFactory(), Clock.systemUTC());
    }

    private static SSLContext context(KeyStore store) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }
}
