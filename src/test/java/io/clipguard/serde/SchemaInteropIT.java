package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.testing.Requires;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with an independent client: Debian's python3-confluent-kafka 1.7.0 legacy Avro API
 * (CachedSchemaRegistryClient + MessageSerializer) with python3-avro, through the same registry.
 */
class SchemaInteropIT {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/avro_interop.py");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalSchemaRegistry registry;
    private static Serde<UploadedImage> serde;

    @BeforeAll
    static void requirePythonClientAndStartRegistry() throws Exception {
        Requires.that(
                Files.isExecutable(PYTHON)
                        && run(List.of(PYTHON.toString(), "-c", "import confluent_kafka.avro, avro")).exitCode == 0,
                "/usr/bin/python3 cannot import confluent_kafka.avro and avro"
                        + " (apt-get install python3-confluent-kafka python3-avro)");
        registry = LocalSchemaRegistry.shared();
        serde = AvroSerdes.forClass(
                UploadedImage.class,
                Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url().toString()),
                null);
    }

    @Test
    void pythonReadsWhatJavaWrote() throws Exception {
        String topic = "interop-" + UUID.randomUUID();
        UploadedImage upload = SampleRecords.upload("from-java");
        byte[] bytes = serde.serializer().serialize(topic, upload);

        JsonNode decoded =
                python("decode", registry.url().toString(), HexFormat.of().formatHex(bytes));

        assertEquals(
                ByteBuffer.wrap(bytes, 1, 4).getInt(), decoded.get("schema_id").asInt());
        JsonNode record = decoded.get("record");
        assertEquals("from-java", record.get("upload_id").asText());
        assertEquals(
                SampleRecords.UPLOADED_AT.toEpochMilli(),
                record.get("uploaded_at").asLong());
        assertEquals("image/jpeg", record.get("content_type").asText());
        assertEquals("ffd8ff0007", record.get("image_bytes").get("$bytes").asText());
        assertEquals("u-17", record.get("attributes").get("uploader_id").asText());
        assertEquals(true, record.get("image_uri").isNull());
    }

    @Test
    void javaReadsWhatPythonWrote() throws Exception {
        String topic = "interop-" + UUID.randomUUID();
        String record =
                """
        {"upload_id": "from-python", "uploaded_at": {"$timestamp_millis": %d}, "content_type": "image/png",
         "image_bytes": {"$bytes": "89504e47"}, "image_uri": null,
         "attributes": {"surface": "chat"}}"""
                        .formatted(SampleRecords.UPLOADED_AT.toEpochMilli());

        JsonNode encoded = python(
                "encode",
                registry.url().toString(),
                topic,
                Path.of("avro/UploadedImage.avsc").toString(),
                record);
        UploadedImage read = serde.deserializer()
                .deserialize(topic, HexFormat.of().parseHex(encoded.get("hex").asText()));

        assertEquals("from-python", read.getUploadId());
        assertEquals(SampleRecords.UPLOADED_AT, read.getUploadedAt());
        assertEquals("image/png", read.getContentType());
        assertEquals(ByteBuffer.wrap(HexFormat.of().parseHex("89504e47")), read.getImageBytes());
        assertEquals(Map.of("surface", "chat"), read.getAttributes());
        // Both clients name the subject <topic>-value: Python's registration is the one Java sees.
        int pythonId = encoded.get("schema_id").asInt();
        assertEquals(
                pythonId,
                new HttpSchemaRegistryClient(registry.url())
                        .latest(topic + "-value")
                        .orElseThrow()
                        .id());
    }

    private static JsonNode python(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), SCRIPT.toString()));
        command.addAll(List.of(args));
        Result result = run(command);
        assertEquals(0, result.exitCode, "python failed: " + result.output);
        String[] lines = result.output.strip().split("\n");
        return JSON.readTree(lines[lines.length - 1]);
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, "timed out: " + String.join(" ", command));
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
