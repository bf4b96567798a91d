package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.pipeline.SourceCoordinates;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InFlightUploadTest {

    private final InFlightUpload upload = new InFlightUpload(
            new SourceCoordinates("uploads.v1_eu-west", 7, 123_456_789_012L), 1_700_000_000_123L, event(300_000));

    @Test
    void roundTrips() {
        var serde = InFlightUpload.serde();
        InFlightUpload back =
                serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", upload));

        assertEquals(upload.from(), back.from());
        assertEquals(upload.timestamp(), back.timestamp());
        assertArrayEquals(upload.event(), back.event());
    }

    /** Changelogs written by earlier versions (DataOutputStream) stay readable, and the bytes are the same. */
    @Test
    void keepsTheFormatEarlierVersionsWrote() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(upload.from().topic());
            out.writeInt(upload.from().partition());
            out.writeLong(upload.from().offset());
            out.writeLong(upload.timestamp());
            out.writeInt(upload.event().length);
            out.write(upload.event());
        }
        var serde = InFlightUpload.serde();

        assertArrayEquals(bytes.toByteArray(), serde.serializer().serialize("changelog", upload));
        assertArrayEquals(
                upload.event(),
                serde.deserializer()
                        .deserialize("changelog", bytes.toByteArray())
                        .event());
    }

    private static byte[] event(int length) {
        byte[] event = new byte[length];
        new Random(3).nextBytes(event);
        return event;
    }
}
