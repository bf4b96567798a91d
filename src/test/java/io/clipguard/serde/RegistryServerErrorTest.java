package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A registry that answers 5xx (a Confluent leader fail-over: 500 with 50002 or 50003) is unavailable, not a bad record. */
class RegistryServerErrorTest {

    private HttpServer server;

    private URI answering(int status, String body) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void leaderFailoverAnswerIsTransientNotAnUnknownSchema() throws Exception {
        URI url = answering(
                500, "{\"error_code\":50003,\"message\":\"Error while forwarding the request to the leader\"}");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        SchemaRegistryUnavailableException e =
                assertThrows(SchemaRegistryUnavailableException.class, () -> client.schemaById(7));
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    }

    @Test
    void operationTimeoutIsTransient() throws Exception {
        URI url = answering(500, "{\"error_code\":50002,\"message\":\"Operation timed out\"}");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThrows(SchemaRegistryUnavailableException.class, () -> client.schemaById(7));
    }

    @Test
    void notFoundStaysPermanent() throws Exception {
        URI url = answering(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThrows(SchemaNotFoundException.class, () -> client.schemaById(7));
    }

    /** Regression: expired credentials or a gateway's refusal dead-lettered good events as MALFORMED_EVENT. */
    @Test
    void unauthorisedAndForbiddenAreTransient() throws Exception {
        for (int status : new int[] {401, 403}) {
            URI url = answering(status, "{\"error_code\":" + status + ",\"message\":\"Unauthorized\"}");
            HttpSchemaRegistryClient client =
                    new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
            SchemaRegistryUnavailableException e =
                    assertThrows(SchemaRegistryUnavailableException.class, () -> client.schemaById(7));
            assertTrue(e.getMessage().contains("credentials"), e.getMessage());
            server.stop(0);
        }
    }

    /** Regression: an ingress's HTML 404 dead-lettered every event as UNKNOWN_SCHEMA. */
    @Test
    void aNotFoundPageWithoutARegistryErrorCodeIsTransient() throws Exception {
        URI url = answering(404, "<html><body>default backend - 404</body></html>");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        SchemaRegistryUnavailableException e =
                assertThrows(SchemaRegistryUnavailableException.class, () -> client.schemaById(7));
        assertTrue(e.getMessage().contains("without a registry error code"), e.getMessage());
    }

    @Test
    void aSubjectNotFoundToAnIdQuestionIsTransient() throws Exception {
        URI url = answering(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertThrows(SchemaRegistryUnavailableException.class, () -> client.schemaById(7));
    }

    @Test
    void aMissingSubjectIsStillNoLatestVersion() throws Exception {
        URI url = answering(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
        HttpSchemaRegistryClient client =
                new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofSeconds(2));
        assertTrue(client.latest("uploads-value").isEmpty());
    }

    /** Two instances starting at once register the same schema; Apicurio answers the second 409. */
    @Test
    void aConflictOnRegisteringIsTheSchemaAlreadyThere() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/subjects/t-value/versions", exchange -> {
            byte[] bytes = "{\"error_code\":409,\"message\":\"An artifact with ID 't-value' already exists\"}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(409, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.createContext("/subjects/t-value", exchange -> {
            byte[] bytes = "{\"subject\":\"t-value\",\"id\":42,\"version\":1}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2));
        org.apache.avro.Schema schema = org.apache.avro.SchemaBuilder.record("R")
                .fields()
                .requiredString("a")
                .endRecord();
        org.junit.jupiter.api.Assertions.assertEquals(42, client.register("t-value", schema));
    }
}
