package io.clipguard.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalSchemaRegistryIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsOnLoopbackWithBackwardCompatibilityAndStopsOnClose() throws Exception {
        LocalSchemaRegistry registry = LocalSchemaRegistry.start();
        int port = registry.port();
        try {
            System.out.printf(
                    "Apicurio Registry started in %d ms%n",
                    registry.startDuration().toMillis());
            assertEquals(
                    "http://127.0.0.1:" + port + "/apis/ccompat/v7",
                    registry.url().toString());
            assertTrue(get(URI.create(registry.url() + "/config")).contains("\"BACKWARD\""));
            assertTrue(Files.size(registry.logFile()) > 0, "the registry's output goes to its log file");
            // bound to 127.0.0.1 itself, not to every address: on Linux all of 127/8 reaches this host,
            // so a wildcard bind would take a connection to 127.0.0.2; this needs no second interface
            assertThrows(
                    IOException.class,
                    () -> connect(InetAddress.getByName("127.0.0.2"), port),
                    "the registry must listen on 127.0.0.1 only, not on every address");
            Optional<InetAddress> external = nonLoopbackAddress();
            if (external.isPresent()) {
                assertThrows(
                        IOException.class,
                        () -> connect(external.get(), port),
                        "the registry must listen on loopback only");
            }
        } finally {
            registry.close();
        }
        assertThrows(ConnectException.class, () -> connect(InetAddress.getLoopbackAddress(), port));
        registry.close();
    }

    @Test
    void sharedStartsOncePerJvm() {
        assertSame(LocalSchemaRegistry.shared(), LocalSchemaRegistry.shared());
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> response =
                http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1000);
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
