package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.serde.AvroSerdeException.Problem;
import io.clipguard.testing.HostileEvents;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events built to make the reader allocate far more than they hold: each must be a bad record,
 * found before anything large is allocated, never an {@code OutOfMemoryError} on the stream thread.
 */
class HostileAvroTest {

    private final FakeSchemaRegistryClient registry = new FakeSchemaRegistryClient();
    private final SpecificAvroSerde<UploadedImage> serde = serde();

    private SpecificAvroSerde<UploadedImage> serde() {
        SpecificAvroSerde<UploadedImage> created = new SpecificAvroSerde<>(UploadedImage.class, registry);
        created.configure(Map.of(), false);
        return created;
    }

    private int schemaId() {
        serde.serializer().serialize("uploads", SampleRecords.upload("u1"));
        return registry.latest("uploads-value").orElseThrow().id();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private void assertBadRecordWithoutAllocating(byte[] event) {
        long before = allocatedBytes();
        AvroSerdeException e = assertThrows(
                AvroSerdeException.class, () -> serde.deserializer().deserialize("uploads", event));
        long allocated = allocatedBytes() - before;
        assertEquals(Problem.AVRO_DECODE_FAILED, e.problem());
        assertTrue(
                allocated < 64L * 1024 * 1024,
                "allocated " + allocated + " bytes for a " + event.length + "-byte event");
    }

    @Test
    void mapCountFarBeyondTheBytesIsABadRecordNotAnOutOfMemoryError() {
        byte[] bomb = HostileEvents.mapBomb(schemaId());
        assertTrue(bomb.length < 30);
        assertBadRecordWithoutAllocating(bomb);
    }

    @Test
    void stringLengthFarBeyondTheBytesIsABadRecord() {
        assertBadRecordWithoutAllocating(HostileEvents.stringBomb(schemaId()));
    }
}
