package io.clipguard.topology;

import io.clipguard.pipeline.SourceCoordinates;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An upload event accepted but not yet decided: kept in a changelogged state store until its outcome
 * is forwarded, so an event whose offset is committed can always be finished after a crash.
 *
 * @param from      where the event was read
 * @param timestamp the event's timestamp, reused for the outcome
 * @param event     the raw event bytes (Confluent wire format)
 * @param recordKey the record's key, or null: the upload id of an event that cannot be read
 */
record InFlightUpload(SourceCoordinates from, long timestamp, byte[] event, byte[] recordKey) {

    /** An upload whose record has no key. */
    InFlightUpload(SourceCoordinates from, long timestamp, byte[] event) {
        this(from, timestamp, event, null);
    }

    /** What this upload holds: its event and its record key. */
    int bytes() {
        return event.length + (recordKey == null ? 0 : recordKey.length);
    }

    /** The store key: unique per event. */
    String key() {
        return key(from.topic(), from.partition(), from.offset());
    }

    static String key(String topic, int partition, long offset) {
        return topic + "/" + partition + "/" + offset;
    }

    static Serde<InFlightUpload> serde() {
        Serializer<InFlightUpload> serializer = (topic, upload) -> upload == null ? null : write(upload);
        Deserializer<InFlightUpload> deserializer = (topic, bytes) -> bytes == null ? null : read(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * Topic (length-prefixed, as {@code DataOutputStream.writeUTF} writes a topic name's ASCII),
     * partition, offset, timestamp, event length, event, and where the record had a key, its length
     * and bytes; big-endian. Entries without a key are byte for byte what earlier versions wrote.
     * Written and read with one copy of the event each way: these are the largest values the stream
     * thread handles.
     */
    private static byte[] write(InFlightUpload upload) {
        byte[] topic = upload.from().topic().getBytes(StandardCharsets.UTF_8);
        byte[] key = upload.recordKey();
        int keyBytes = key == null ? 0 : 4 + key.length;
        ByteBuffer out = ByteBuffer.allocate(2 + topic.length + 4 + 8 + 8 + 4 + upload.event().length + keyBytes);
        out.putShort((short) topic.length)
                .put(topic)
                .putInt(upload.from().partition())
                .putLong(upload.from().offset())
                .putLong(upload.timestamp())
                .putInt(upload.event().length)
                .put(upload.event());
        if (key != null) {
            out.putInt(key.length).put(key);
        }
        return out.array();
    }

    private static InFlightUpload read(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] topic = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(topic);
        SourceCoordinates from =
                new SourceCoordinates(new String(topic, StandardCharsets.UTF_8), in.getInt(), in.getLong());
        long timestamp = in.getLong();
        byte[] event = new byte[in.getInt()];
        in.get(event);
        byte[] key = null;
        if (in.remaining() >= 4) {
            key = new byte[in.getInt()];
            in.get(key);
        }
        return new InFlightUpload(from, timestamp, event, key);
    }
}
