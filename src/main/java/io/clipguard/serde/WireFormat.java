package io.clipguard.serde;

import io.clipguard.serde.AvroSerdeException.Problem;
import java.nio.ByteBuffer;

/**
 * The Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the
 * Avro binary encoding of the datum.
 */
final class WireFormat {
    static final byte MAGIC_BYTE = 0;
    static final int HEADER_BYTES = 5;

    private WireFormat() {}

    /** The header of a framed record; the Avro body starts at {@link #HEADER_BYTES}. */
    record Header(int schemaId) {}

    static byte[] frame(int schemaId, byte[] avroBody) {
        return ByteBuffer.allocate(HEADER_BYTES + avroBody.length)
                .put(MAGIC_BYTE)
                .putInt(schemaId)
                .put(avroBody)
                .array();
    }

    /**
     * Reads the header of {@code data}.
     *
     * @param where names the topic and key/value, for error messages
     * @throws AvroSerdeException {@link Problem#BAD_MAGIC_BYTE} or {@link Problem#TRUNCATED_HEADER}
     */
    static Header parse(byte[] data, String where) {
        if (data.length == 0) {
            throw new AvroSerdeException(
                    Problem.TRUNCATED_HEADER,
                    where + ": empty, expected a 5-byte Confluent header (magic byte 0 and schema id)",
                    null);
        }
        if (data[0] != MAGIC_BYTE) {
            throw new AvroSerdeException(
                    Problem.BAD_MAGIC_BYTE,
                    where + ": unknown magic byte 0x" + String.format("%02x", data[0] & 0xff)
                            + ", expected 0x00 (the data is not Confluent-framed Avro)",
                    null);
        }
        if (data.length < HEADER_BYTES) {
            throw new AvroSerdeException(
                    Problem.TRUNCATED_HEADER,
                    where + ": only " + data.length + " bytes, shorter than the 5-byte Confluent header",
                    null);
        }
        return new Header(ByteBuffer.wrap(data, 1, 4).getInt());
    }
}
