package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalSchemaRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serde against a secured registry, configured with Confluent's keys: the real registry behind a
 * real HTTPS server on loopback that wants a client certificate (mutual TLS) and credentials, as a
 * managed registry or an authenticating gateway does. The first URL of the list is a dead port.
 */
class SecuredRegistryIT {

    private static final String PASSWORD = "changeit";
    private static final String USER_INFO = "moderator:s3cret";
    private static final String TOKEN = "token-" + UUID.randomUUID();

    @TempDir
    static Path stores;

    private static HttpsServer gateway;
    private static final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startGateway() throws Exception {
        keyPair("server", "CN=127.0.0.1", "server.p12", "-ext", "SAN=ip:127.0.0.1");
        trust("server", "server.p12", "trust.p12"); // the job's trust store: the registry's certificate
        keyPair("client", "CN=clipguard", "client.p12");
        trust("client", "client.p12", "server-trust.p12"); // the gateway's: the job's certificate

        SSLContext tls = SSLContext.getInstance("TLS");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store("server.p12"), PASSWORD.toCharArray());
        TrustManagerFactory clients = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        clients.init(store("server-trust.p12"));
        tls.init(keys.getKeyManagers(), clients.getTrustManagers(), null);

        gateway = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(true);
                params.setSSLParameters(parameters);
            }
        });
        HttpClient upstream = HttpClient.newHttpClient();
        URI registry = LocalSchemaRegistry.shared().url();
        gateway.createContext("/", exchange -> forward(exchange, upstream, registry));
        gateway.start();
    }

    @AfterAll
    static void stopGateway() {
        gateway.stop(0);
    }

    @Test
    void basicCredentialsMutualTlsAndFailoverToTheSecondUrl() throws Exception {
        Map<String, Object> config = secured();
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", USER_INFO);
        roundTrip(config);
        assertTrue(authorizations.contains(
                "Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void credentialsFromTheUrlAreSentAsAHeaderAndLeftOutOfTheUrl() throws Exception {
        Map<String, Object> config = secured();
        config.put(
                "schema.registry.url",
                "https://" + USER_INFO + "@127.0.0.1:" + gateway.getAddress().getPort());
        config.put("basic.auth.credentials.source", "URL");
        assertEquals(
                URI.create("https://127.0.0.1:" + gateway.getAddress().getPort()),
                AvroSerdeConfig.parse(config, false).registryUrl());
        roundTrip(config);
    }

    @Test
    void aStaticBearerTokenWithConfluentCloudsHeadersAndAPemCaBundle() throws Exception {
        Map<String, Object> config = secured();
        exportCertificate("server", "server.p12", "ca.pem", "-rfc");
        config.put(
                "schema.registry.ssl.truststore.location",
                stores.resolve("ca.pem").toString());
        config.put("schema.registry.ssl.truststore.type", "PEM");
        config.remove("schema.registry.ssl.truststore.password");
        config.put("bearer.auth.credentials.source", "STATIC_TOKEN");
        config.put("bearer.auth.token", TOKEN);
        config.put("bearer.auth.logical.cluster", "lsrc-test");
        roundTrip(config);
    }

    @Test
    void wrongCredentialsAreTheJobsProblemNotTheRecords() {
        Map<String, Object> config = secured();
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", "moderator:wrong");
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, config, null);
        SchemaRegistryUnavailableException e =
                assertThrows(SchemaRegistryUnavailableException.class, () -> serde.serializer()
                        .serialize("secured-" + UUID.randomUUID(), SampleRecords.upload("u")));
        assertTrue(e.getMessage().contains("check the registry credentials"), e.getMessage());
    }

    @Test
    void withoutTheTrustStoreTheRegistrysCertificateIsRefused() {
        Map<String, Object> config = secured();
        config.remove("schema.registry.ssl.truststore.location");
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", USER_INFO);
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, config, null);
        SchemaRegistryUnavailableException e =
                assertThrows(SchemaRegistryUnavailableException.class, () -> serde.serializer()
                        .serialize("secured-" + UUID.randomUUID(), SampleRecords.upload("u")));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
    }

    private static void roundTrip(Map<String, Object> config) {
        String topic = "secured-" + UUID.randomUUID();
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, config, null);
        UploadedImage upload = SampleRecords.upload("u-secured");
        byte[] bytes = serde.serializer().serialize(topic, upload);
        Serde<UploadedImage> reader = AvroSerdes.forClass(UploadedImage.class, config, null);
        assertEquals(upload, reader.deserializer().deserialize(topic, bytes));
    }

    /** Mutual TLS, and a first URL where nothing listens. */
    private static Map<String, Object> secured() {
        Map<String, Object> config = new HashMap<>();
        config.put(
                "schema.registry.url",
                "https://127.0.0.1:" + deadPort() + ",https://127.0.0.1:"
                        + gateway.getAddress().getPort());
        config.put(
                "schema.registry.ssl.truststore.location",
                stores.resolve("trust.p12").toString());
        config.put("schema.registry.ssl.truststore.password", PASSWORD);
        config.put("schema.registry.ssl.truststore.type", "PKCS12");
        config.put(
                "schema.registry.ssl.keystore.location",
                stores.resolve("client.p12").toString());
        config.put("schema.registry.ssl.keystore.password", PASSWORD);
        config.put("schema.registry.ssl.keystore.type", "PKCS12");
        config.put("schema.registry.connect.timeout.ms", "2000");
        return config;
    }

    /** Passes a request on to the registry when it carries the credentials, else answers 401. */
    private static void forward(HttpExchange exchange, HttpClient upstream, URI registry) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            boolean basic = ("Basic " + Base64.getEncoder().encodeToString(USER_INFO.getBytes(StandardCharsets.UTF_8)))
                    .equals(authorization);
            boolean bearer = ("Bearer " + TOKEN).equals(authorization)
                    && "lsrc-test".equals(exchange.getRequestHeaders().getFirst("target-sr-cluster"));
            if (!basic && !bearer) {
                byte[] body = "{\"error_code\":401,\"message\":\"Unauthorized\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(401, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            byte[] requestBody;
            try (InputStream in = exchange.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(
                            URI.create(registry.toString().replaceAll("/$", "") + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(requestBody));
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            HttpResponse<byte[]> response = upstream.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(
                    response.statusCode(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static KeyStore store(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(stores.resolve(name))) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private static void keyPair(String alias, String dname, String store, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                stores.resolve(store).toString(),
                "-storepass",
                PASSWORD));
        args.addAll(List.of(more));
        keytool(args.toArray(String[]::new));
    }

    private static void exportCertificate(String alias, String store, String file, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "-exportcert",
                "-alias",
                alias,
                "-keystore",
                stores.resolve(store).toString(),
                "-storepass",
                PASSWORD,
                "-file",
                stores.resolve(file).toString()));
        args.addAll(List.of(more));
        keytool(args.toArray(String[]::new));
    }

    /** Puts the certificate of {@code alias} in {@code from} into the trust store {@code into}. */
    private static void trust(String alias, String from, String into) throws Exception {
        exportCertificate(alias, from, alias + ".cer");
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                alias,
                "-file",
                stores.resolve(alias + ".cer").toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                stores.resolve(into).toString(),
                "-storepass",
                PASSWORD);
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), output);
    }

    private static int deadPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
