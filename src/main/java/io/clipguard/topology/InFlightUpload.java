package io.clipguard.topology;

import io.clipguard.pipeline.SourceCoordinates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 */
record InFlightUpload(SourceCoordinates from, long timestamp, byte[] event) {

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

    private static byte[] write(InFlightUpload upload) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF(upload.from().topic());
            out.writeInt(upload.from().partition());
            out.writeLong(upload.from().offset());
            out.writeLong(upload.timestamp());
            out.writeInt(upload.event().length);
            out.write(upload.event());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InFlightUpload read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            SourceCoordinates from = new SourceCoordinates(in.readUTF(), in.readInt(), in.readLong());
            long timestamp = in.readLong();
            byte[] event = in.readNBytes(in.readInt());
            return new InFlightUpload(from, timestamp, event);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
