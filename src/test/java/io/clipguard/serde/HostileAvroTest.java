package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.serde.AvroSerdeException.Problem;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Events built to make the reader allocate far more than they hold: each must be a bad record,
 * found before anything large is allocated, never an {@code OutOfMemoryError} on the stream thread.
 */
class HostileAvroTest {

    private static final long CLAIMED = 1_500_000_000L;

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

    private static void zigzag(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }

    private static ByteArrayOutputStream header(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
        return out;
    }

    /** upload_id "a", uploaded_at 0, three null unions, then a map that claims 1.5 billion entries. */
    private byte[] mapBomb() {
        ByteArrayOutputStream out = header(schemaId());
        zigzag(out, 1);
        out.write('a');
        zigzag(out, 0);
        out.write(0);
        out.write(0);
        out.write(0);
        zigzag(out, CLAIMED);
        out.writeBytes(new byte[] {2, 'k', 2, 'v'});
        return out.toByteArray();
    }

    /** An upload_id that claims 1.5 GB in a 12-byte event. */
    private byte[] stringBomb() {
        ByteArrayOutputStream out = header(schemaId());
        zigzag(out, CLAIMED);
        out.writeBytes(new byte[] {'a', 'b'});
        return out.toByteArray();
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
        byte[] bomb = mapBomb();
        assertTrue(bomb.length < 30);
        assertBadRecordWithoutAllocating(bomb);
    }

    @Test
    void stringLengthFarBeyondTheBytesIsABadRecord() {
        assertBadRecordWithoutAllocating(stringBomb());
    }
}
