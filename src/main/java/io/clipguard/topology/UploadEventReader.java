package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import io.clipguard.serde.AvroSerdeException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads a raw upload event for both processors. An unreadable event becomes a dead-letter outcome
 * with a reason code and its source coordinates; a failure that says nothing about the record (the
 * registry unreachable) is rethrown, so it is read again later. An {@code Error} while reading (a
 * hostile event that asks for gigabytes or nests without end) is the event's fault.
 */
final class UploadEventReader {

    /** Exactly one of an upload or the dead-letter outcome of an event that could not be read. */
    record Read(UploadedImage upload, Outcome failure) {}

    private final Deserializer<UploadedImage> deserializer;
    private final Moderator moderator;
    private final Predicate<RuntimeException> isTransient;

    UploadEventReader(
            Deserializer<UploadedImage> deserializer, Moderator moderator, Predicate<RuntimeException> isTransient) {
        this.deserializer = deserializer;
        this.moderator = moderator;
        this.isTransient = isTransient;
    }

    /**
     * @param key the record's key: by the schema's convention the upload id, so the dead letter of an
     *            event that cannot be read carries it (and says so)
     */
    Read read(Headers headers, byte[] key, byte[] event, SourceCoordinates from) {
        if (event == null || event.length == 0) {
            return unreadable(key, Reason.MALFORMED_EVENT, "the event has no value", from);
        }
        try {
            return new Read(deserializer.deserialize(from.topic(), headers, event), null);
        } catch (RuntimeException e) {
            if (isTransient.test(e)) {
                throw e;
            }
            return unreadable(key, reasonFor(e), "cannot read the upload event: " + e.getMessage(), from);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // a hostile event (a length or nesting no real event has) must not take the thread down
            return unreadable(
                    key,
                    Reason.MALFORMED_EVENT,
                    "cannot read the upload event of " + event.length + " bytes: " + e,
                    from);
        }
    }

    private Read unreadable(byte[] key, Reason reason, String message, SourceCoordinates from) {
        return new Read(null, failedUnread(moderator, key, reason, message, from));
    }

    /**
     * The dead letter of an event whose upload id could not be read: the record's key stands in for it
     * (by the schema's convention the key is the upload id), and the message says so.
     */
    static Outcome failedUnread(
            Moderator moderator, byte[] key, Reason reason, String message, SourceCoordinates from) {
        if (key == null || key.length == 0) {
            return moderator.failed(null, reason, message, from);
        }
        // a key that is not UTF-8 still names the upload as well as it can: malformed bytes become U+FFFD
        String id = new String(key, StandardCharsets.UTF_8);
        return moderator.failed(id, reason, message + " (upload_id is the record's key)", from);
    }

    /** Where the record being processed came from. */
    static SourceCoordinates coordinates(Optional<RecordMetadata> metadata) {
        return metadata.map(m -> new SourceCoordinates(m.topic(), m.partition(), m.offset()))
                .orElse(new SourceCoordinates("unknown", -1, -1));
    }

    private static Reason reasonFor(RuntimeException e) {
        return e instanceof AvroSerdeException avro && avro.problem() == AvroSerdeException.Problem.UNKNOWN_SCHEMA_ID
                ? Reason.UNKNOWN_SCHEMA
                : Reason.MALFORMED_EVENT;
    }
}
