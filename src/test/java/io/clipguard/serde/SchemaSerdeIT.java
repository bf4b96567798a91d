package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.serde.AvroSerdeException.Problem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round trips, evolution and failure modes of the serde against a real registry. */
class SchemaSerdeIT {
    private static Map<String, Object> config;
    private static HttpSchemaRegistryClient registry;

    @BeforeAll
    static void startRegistry() {
        LocalSchemaRegistry local = LocalSchemaRegistry.shared();
        config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, local.url().toString());
        registry = new HttpSchemaRegistryClient(local.url());
    }

    @Test
    void uploadedImageRoundTripsWithTheRegisteredIdInTheHeader() {
        String topic = uniqueTopic("uploads");
        Serde<UploadedImage> serde = AvroSerdes.forClass(UploadedImage.class, config, null);
        UploadedImage upload = SampleRecords.upload("u-1");

        byte[] bytes = serde.serializer().serialize(topic, upload);

        int registeredId = registry.latest(topic + "-value").orElseThrow().id();
        assertEquals(0, bytes[0]);
        assertEquals(registeredId, ByteBuffer.wrap(bytes, 1, 4).getInt());
        assertEquals(upload, serde.deserializer().deserialize(topic, bytes));
    }

    @Test
    void moderationResultRoundTripsThroughAnIndependentlyConfiguredSerde() {
        String topic = uniqueTopic("scored");
        ModerationResult result = SampleRecords.result("u-2");

        byte[] bytes = AvroSerdes.forClass(ModerationResult.class, config, null)
                .serializer()
                .serialize(topic, result);
        ModerationResult read = AvroSerdes.forClass(ModerationResult.class, config, null)
                .deserializer()
                .deserialize(topic, bytes);

        assertEquals(result, read);
    }

    @Test
    void keySerdeAndRecordNameStrategyUseTheirSubjects() {
        String topic = uniqueTopic("flagged");
        Map<String, Object> recordNamed = Map.of(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                config.get(AvroSerdeConfig.SCHEMA_REGISTRY_URL),
                AvroSerdeConfig.KEY_SUBJECT_NAME_STRATEGY,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");

        AvroSerdes.forClass(UploadedImage.class, recordNamed, null, true)
                .serializer()
                .serialize(topic, SampleRecords.upload("u-3"));

        assertTrue(registry.latest(topic + "-io.clipguard.avro.UploadedImage").isPresent());
        assertTrue(registry.latest(topic + "-key").isEmpty());
    }

    @Test
    void olderWriterSchemaReadsIntoTheCurrentClassWithDefaults() {
        String topic = uniqueTopic("uploads");
        Schema withoutAttributes = withoutField(UploadedImage.getClassSchema(), "attributes");
        GenericRecord old = new GenericData.Record(withoutAttributes);
        old.put("upload_id", "u-old");
        old.put("uploaded_at", SampleRecords.UPLOADED_AT.toEpochMilli());
        old.put("image_uri", "https://img.example/old.jpg");
        GenericAvroSerde generic = new GenericAvroSerde();
        generic.configure(config, false);

        byte[] bytes = generic.serializer().serialize(topic, old);
        UploadedImage read = AvroSerdes.forClass(UploadedImage.class, config, null)
                .deserializer()
                .deserialize(topic, bytes);

        assertEquals("u-old", read.getUploadId());
        assertEquals(SampleRecords.UPLOADED_AT, read.getUploadedAt());
        assertEquals("https://img.example/old.jpg", read.getImageUri());
        assertEquals(Map.of(), read.getAttributes());
        // The current schema is a compatible (BACKWARD) next version of the same subject.
        AvroSerdes.forClass(UploadedImage.class, config, null)
                .serializer()
                .serialize(topic, SampleRecords.upload("u-new"));
        assertEquals(2, registry.latest(topic + "-value").orElseThrow().version());
    }

    @Test
    void unknownSchemaIdIsABadRecordNamingTopicAndId() {
        byte[] bytes = {0, 0x3a, (byte) 0xde, 0x68, (byte) 0xb1, 2, 'x'};

        AvroSerdeException e =
                assertThrows(AvroSerdeException.class, () -> AvroSerdes.forClass(UploadedImage.class, config, null)
                        .deserializer()
                        .deserialize("uploads", bytes));
        assertEquals(Problem.UNKNOWN_SCHEMA_ID, e.problem());
        assertTrue(e.getMessage().contains("topic uploads (value)"), e.getMessage());
        assertTrue(
                e.getMessage().contains("schema id 987654321 not found in registry at http://127.0.0.1:"),
                e.getMessage());
    }

    @Test
    void badMagicByteIsABadRecord() {
        AvroSerdeException e =
                assertThrows(AvroSerdeException.class, () -> AvroSerdes.forClass(UploadedImage.class, config, null)
                        .deserializer()
                        .deserialize("uploads", "{\"upload_id\":\"u\"}".getBytes()));

        assertEquals(Problem.BAD_MAGIC_BYTE, e.problem());
        assertTrue(e.getMessage().contains("topic uploads (value): unknown magic byte 0x7b"), e.getMessage());
    }

    @Test
    void unreachableRegistryIsTransientBothWays() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Serde<UploadedImage> serde = AvroSerdes.forClass(
                UploadedImage.class,
                Map.of(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                        "http://127.0.0.1:" + closedPort,
                        AvroSerdeConfig.CONNECT_TIMEOUT_MS,
                        2000),
                null);
        byte[] wellFormed = {0, 0, 0, 0, 1, 2, 'x'};

        assertThrows(SchemaRegistryUnavailableException.class, () -> serde.serializer()
                .serialize("uploads", SampleRecords.upload("u")));
        RuntimeException e =
                assertThrows(RuntimeException.class, () -> serde.deserializer().deserialize("uploads", wellFormed));
        assertEquals(SchemaRegistryUnavailableException.class, e.getClass());
    }

    @Test
    void incompatibleChangeIsRejectedAsABadRecord() {
        String topic = uniqueTopic("uploads");
        GenericAvroSerde generic = new GenericAvroSerde();
        generic.configure(config, false);
        Schema first = withoutField(UploadedImage.getClassSchema(), "image_uri");
        Schema second = Schema.createRecord(
                first.getName(),
                null,
                first.getNamespace(),
                false,
                Arrays.asList(new Schema.Field("upload_id", Schema.create(Schema.Type.LONG))));
        generic.serializer().serialize(topic, minimal(first));
        GenericRecord changed = new GenericData.Record(second);
        changed.put("upload_id", 7L);

        AvroSerdeException e = assertThrows(
                AvroSerdeException.class, () -> generic.serializer().serialize(topic, changed));
        assertEquals(Problem.SCHEMA_REJECTED, e.problem());
    }

    private static GenericRecord minimal(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        record.put("upload_id", "u");
        record.put("uploaded_at", 1L);
        record.put("attributes", Map.of());
        return record;
    }

    private static Schema withoutField(Schema schema, String dropped) {
        var fields = schema.getFields().stream()
                .filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }
}
