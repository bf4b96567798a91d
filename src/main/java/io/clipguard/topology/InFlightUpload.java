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
 * <p>The store keeps where the event is, not its bytes (a {@link #ref()}): the event is still in its
 * topic, and is read from there again when its task resumes elsewhere or when a parked upload gets
 * room. So the broker does not write every inline image a second time, a restore takes seconds, and
 * an upload waiting for room costs no heap. Entries that earlier versions wrote with the bytes are
 * still read.
 *
 * @param from       where the event was read
 * @param timestamp  the event's record timestamp, reused for the outcome
 * @param eventBytes the size of the event and its record key, known without the bytes: what the
 *                   upload is charged
 * @param event      the raw event bytes (Confluent wire format), or null where only the place is known
 * @param recordKey  the record's key where known, or null: the upload id of an event that cannot be read
 */
record InFlightUpload(SourceCoordinates from, long timestamp, int eventBytes, byte[] event, byte[] recordKey) {

    /** An upload with its bytes in hand. */
    static InFlightUpload held(SourceCoordinates from, long timestamp, byte[] event, byte[] recordKey) {
        return new InFlightUpload(from, timestamp, size(event, recordKey), event, recordKey);
    }

    /** Where the event is, without its bytes: what the store keeps. */
    InFlightUpload ref() {
        return new InFlightUpload(from, timestamp, eventBytes, null, null);
    }

    /** The same upload with its bytes, read again from its topic. */
    InFlightUpload with(byte[] loadedEvent, byte[] loadedKey) {
        return new InFlightUpload(from, timestamp, size(loadedEvent, loadedKey), loadedEvent, loadedKey);
    }

    /** Whether the bytes are in hand. */
    boolean isHeld() {
        return event != null;
    }

    private static int size(byte[] event, byte[] key) {
        return event.length + (key == null ? 0 : key.length);
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
     * partition, offset, timestamp, then either the event's length, the event and, where the record had
     * a key, its length and bytes (what earlier versions wrote: entries without a key are byte for byte
     * theirs), or, for a ref, minus one minus the size of event and key; big-endian.
     */
    private static byte[] write(InFlightUpload upload) {
        byte[] topic = upload.from().topic().getBytes(StandardCharsets.UTF_8);
        byte[] event = upload.event();
        byte[] key = upload.recordKey();
        int bytes = event == null ? 0 : event.length + (key == null ? 0 : 4 + key.length);
        ByteBuffer out = ByteBuffer.allocate(2 + topic.length + 4 + 8 + 8 + 4 + bytes);
        out.putShort((short) topic.length)
                .put(topic)
                .putInt(upload.from().partition())
                .putLong(upload.from().offset())
                .putLong(upload.timestamp());
        if (event == null) {
            return out.putInt(-1 - upload.eventBytes()).array();
        }
        out.putInt(event.length).put(event);
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
        int length = in.getInt();
        if (length < 0) {
            return new InFlightUpload(from, timestamp, -1 - length, null, null);
        }
        byte[] event = new byte[length];
        in.get(event);
        byte[] key = null;
        if (in.remaining() >= 4) {
            key = new byte[in.getInt()];
            in.get(key);
        }
        return held(from, timestamp, event, key);
    }
}
