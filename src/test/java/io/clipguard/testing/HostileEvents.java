package io.clipguard.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Upload events in the Confluent wire format built to make a reader allocate far more than they hold
 * (an {@code UploadedImage} body: upload_id, uploaded_at, three optional fields, attributes).
 */
public final class HostileEvents {

    /** What each bomb claims: 1.5 billion map entries, or a 1.5 GB string. */
    public static final long CLAIMED = 1_500_000_000L;

    private HostileEvents() {}

    /** About 20 bytes whose attributes map claims {@link #CLAIMED} entries. */
    public static byte[] mapBomb(int schemaId) {
        ByteArrayOutputStream out = framed(schemaId);
        zigzag(out, 1);
        out.write('p');
        zigzag(out, 0);
        out.writeBytes(new byte[] {0, 0, 0});
        zigzag(out, CLAIMED);
        out.writeBytes(new byte[] {2, 'k', 2, 'v'});
        return out.toByteArray();
    }

    /** About 12 bytes whose upload id claims {@link #CLAIMED} bytes. */
    public static byte[] stringBomb(int schemaId) {
        ByteArrayOutputStream out = framed(schemaId);
        zigzag(out, CLAIMED);
        out.writeBytes(new byte[] {'a', 'b'});
        return out.toByteArray();
    }

    /** 25 random bytes behind a valid header: an Avro body that does not decode. */
    public static byte[] junk(int schemaId) {
        ByteArrayOutputStream out = framed(schemaId);
        byte[] random = new byte[25];
        new Random(7).nextBytes(random);
        out.writeBytes(random);
        return out.toByteArray();
    }

    private static ByteArrayOutputStream framed(int schemaId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
        return out;
    }

    private static void zigzag(ByteArrayOutputStream out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
    }
}
