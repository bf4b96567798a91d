package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.pipeline.SourceCoordinates;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InFlightUploadTest {

    private final InFlightUpload upload = InFlightUpload.held(
            new SourceCoordinates("uploads.v1_eu-west", 7, 123_456_789_012L), 1_700_000_000_123L, event(300_000), null);

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

    /** What the store keeps now: where the event is and its size, no bytes (about 50 bytes, not 300 kB). */
    @Test
    void aRefRoundTripsWithoutTheEvent() {
        var serde = InFlightUpload.serde();
        InFlightUpload keyed =
                InFlightUpload.held(upload.from(), upload.timestamp(), upload.event(), new byte[] {1, 2});
        byte[] stored = serde.serializer().serialize("changelog", keyed.ref());
        InFlightUpload back = serde.deserializer().deserialize("changelog", stored);

        assertTrue(stored.length < 64, stored.length + " bytes");
        assertEquals(upload.from(), back.from());
        assertEquals(upload.timestamp(), back.timestamp());
        assertEquals(300_002, back.eventBytes(), "the size it is charged for, known before it is read again");
        assertFalse(back.isHeld());
        assertEquals(keyed.key(), back.key());
    }

    @Test
    void anEntryWithItsKeyRoundTrips() {
        var serde = InFlightUpload.serde();
        InFlightUpload keyed =
                InFlightUpload.held(upload.from(), upload.timestamp(), upload.event(), new byte[] {1, 2});
        InFlightUpload back =
                serde.deserializer().deserialize("changelog", serde.serializer().serialize("changelog", keyed));
        assertArrayEquals(keyed.event(), back.event());
        assertArrayEquals(new byte[] {1, 2}, back.recordKey());
    }
}
