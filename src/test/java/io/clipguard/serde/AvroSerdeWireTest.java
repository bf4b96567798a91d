package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.serde.AvroSerdeException.Problem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The serde's wire-format handling and failure modes, behind a fake registry client. */
class AvroSerdeWireTest {
    private static final Map<String, Object> CONFIG = Map.of();

    private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
    private final SpecificAvroSerde<UploadedImage> serde = serde(registry, CONFIG);

    @Test
    void writesMagicByteThenTheRegisteredIdThenAvro() {
        byte[] bytes = serde.serializer().serialize("uploads", SampleRecords.upload("u1"));

        int id = registry.latest("uploads-value").orElseThrow().id();
        assertArrayEquals(new byte[] {0, 0, 0, 0, (byte) id}, Arrays.copyOf(bytes, 5));
        assertEquals(SampleRecords.upload("u1"), serde.deserializer().deserialize("uploads", bytes));
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertNull(serde.serializer().serialize("uploads", null));
        assertNull(serde.deserializer().deserialize("uploads", null));
    }

    @Test
    void unknownSchemaIdIsABadRecordNamingTheId() {
        byte[] bytes = {0, 0, 0, 0, 42, 2, 'x'};

        AvroSerdeException e = assertThrows(
                AvroSerdeException.class, () -> serde.deserializer().deserialize("uploads", bytes));
        assertEquals(Problem.UNKNOWN_SCHEMA_ID, e.problem());
        assertTrue(e.getMessage().contains("topic uploads (value)"), e.getMessage());
        assertTrue(e.getMessage().contains("schema id 42 not found"), e.getMessage());
    }

    @Test
    void truncatedAvroBodyIsADecodeFailure() {
        byte[] bytes = serde.serializer().serialize("uploads", SampleRecords.upload("u1"));

        AvroSerdeException e = assertThrows(AvroSerdeException.class, () -> serde.deserializer()
                .deserialize("uploads", Arrays.copyOf(bytes, bytes.length - 4)));
        assertEquals(Problem.AVRO_DECODE_FAILED, e.problem());
    }

    @Test
    void dataOfAnotherRecordTypeIsAnIncompatibleSchema() {
        SpecificAvroSerde<ModerationResult> results = new SpecificAvroSerde<>(ModerationResult.class, registry);
        results.configure(CONFIG, false);
        byte[] resultBytes = results.serializer().serialize("scored", SampleRecords.result("u1"));

        AvroSerdeException e = assertThrows(
                AvroSerdeException.class, () -> serde.deserializer().deserialize("scored", resultBytes));
        assertEquals(Problem.INCOMPATIBLE_SCHEMA, e.problem());
    }

    @Test
    void registryDownIsTransientNotABadRecord() {
        byte[] bytes = {0, 0, 0, 0, 9, 0};
        registry.makeUnavailable();

        RuntimeException e =
                assertThrows(RuntimeException.class, () -> serde.deserializer().deserialize("uploads", bytes));
        assertEquals(SchemaRegistryUnavailableException.class, e.getClass());
        assertThrows(SchemaRegistryUnavailableException.class, () -> serde.serializer()
                .serialize("uploads", SampleRecords.upload("u1")));
    }

    @Test
    void withoutAutoRegistrationAnUnregisteredSchemaIsReported() {
        SpecificAvroSerde<UploadedImage> strict = serde(registry, Map.of("auto.register.schemas", false));

        AvroSerdeException e = assertThrows(
                AvroSerdeException.class, () -> strict.serializer().serialize("uploads", SampleRecords.upload("u1")));
        assertEquals(Problem.SCHEMA_NOT_REGISTERED, e.problem());
        assertTrue(e.getMessage().contains("uploads-value"), e.getMessage());
    }

    @Test
    void useLatestVersionWritesWithTheSubjectsLatestSchemaByFieldName() {
        var latest = SchemaBuilder.record("UploadedImage")
                .namespace("io.clipguard.avro")
                .fields()
                .requiredString("upload_id")
                .name("uploaded_at")
                .type()
                .longType()
                .noDefault()
                .name("image_bytes")
                .type()
                .optional()
                .bytesType()
                .endRecord();
        int latestId = registry.register("uploads-value", latest);
        SpecificAvroSerde<UploadedImage> pinned =
                serde(registry, Map.of("auto.register.schemas", false, "use.latest.version", true));

        byte[] bytes = pinned.serializer().serialize("uploads", SampleRecords.upload("u1"));

        assertEquals(latestId, ByteBuffer.wrap(bytes, 1, 4).getInt());
        UploadedImage read = pinned.deserializer().deserialize("uploads", bytes);
        assertEquals("u1", read.getUploadId());
        assertEquals(SampleRecords.UPLOADED_AT, read.getUploadedAt());
        assertNull(read.getContentType());
        assertEquals(Map.of(), read.getAttributes());
    }

    @Test
    void oneSerdeServesManyThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 8; task++) {
                String prefix = "t" + task + "-";
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        UploadedImage upload = SampleRecords.upload(prefix + i);
                        byte[] bytes = serde.serializer().serialize("uploads", upload);
                        if (!upload.equals(serde.deserializer().deserialize("uploads", bytes))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static SpecificAvroSerde<UploadedImage> serde(SchemaRegistryClient client, Map<String, Object> config) {
        SpecificAvroSerde<UploadedImage> serde = new SpecificAvroSerde<>(UploadedImage.class, client);
        serde.configure(config, false);
        return serde;
    }
}
