package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalSchemaRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP client against a real Confluent-API registry (Apicurio's ccompat API). */
class SchemaRegistryClientIT {
    private static HttpSchemaRegistryClient client;

    @BeforeAll
    static void startRegistry() {
        client = new HttpSchemaRegistryClient(LocalSchemaRegistry.shared().url());
    }

    @Test
    void registeringTheSameSchemaTwiceGivesTheSameIdAndItReadsBack() {
        String subject = "it-" + UUID.randomUUID() + "-value";
        Schema schema = UploadedImage.getClassSchema();

        int id = client.register(subject, schema);

        HttpSchemaRegistryClient fresh = new HttpSchemaRegistryClient(client.baseUrl());
        assertEquals(id, fresh.register(subject, schema));
        assertEquals(id, fresh.lookup(subject, schema));
        assertEquals(schema, fresh.schemaById(id));
        RegisteredSchema latest = fresh.latest(subject).orElseThrow();
        assertEquals(id, latest.id());
        assertEquals(1, latest.version());
    }

    @Test
    void unknownIdNamesTheIdAndTheRegistry() {
        SchemaNotFoundException e = assertThrows(SchemaNotFoundException.class, () -> client.schemaById(987_654_321));

        assertTrue(
                e.getMessage().startsWith("schema id 987654321 not found in registry at " + client.baseUrl()),
                e.getMessage());
        assertEquals(40403, e.errorCode());
    }

    @Test
    void missingSubjectHasNoLatestVersion() {
        assertTrue(client.latest("it-" + UUID.randomUUID() + "-value").isEmpty());
    }

    @Test
    void incompatibleSchemaIsRejectedWithTheRegistrysMessage() {
        String subject = "it-" + UUID.randomUUID() + "-value";
        client.register(
                subject,
                SchemaBuilder.record("Thing").fields().requiredString("a").endRecord());
        Schema newRequiredField = SchemaBuilder.record("Thing")
                .fields()
                .requiredString("a")
                .requiredInt("b")
                .endRecord();

        SchemaRegistryException e =
                assertThrows(SchemaRegistryException.class, () -> client.register(subject, newRequiredField));
        assertEquals(409, e.httpStatus());
        assertTrue(e.getMessage().contains("Incompatible"), e.getMessage());
    }

    @Test
    void closedPortIsUnavailableNotAnError() throws IOException {
        URI closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/apis/ccompat/v7");
        }
        var unreachable = new HttpSchemaRegistryClient(closed, Duration.ofSeconds(2), Duration.ofSeconds(2));

        SchemaRegistryUnavailableException e =
                assertThrows(SchemaRegistryUnavailableException.class, () -> unreachable.schemaById(1));
        assertTrue(e.getMessage().contains(closed.toString()), e.getMessage());
    }

    @Test
    void unansweredRequestTimesOutAsUnavailable() throws IOException {
        // A socket that accepts connections (backlog) but never answers.
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            var slow = new HttpSchemaRegistryClient(url, Duration.ofSeconds(1), Duration.ofMillis(300));

            long start = System.nanoTime();
            assertThrows(SchemaRegistryUnavailableException.class, () -> slow.schemaById(1));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) < 0);
        }
    }
}
