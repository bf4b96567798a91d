package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Reads one raw upload event and forwards exactly one {@link Outcome}, keyed by upload id.
 *
 * <p>An unreadable event becomes a dead-letter outcome here rather than in a deserialization
 * handler, so it carries a reason code and its source coordinates like every other failure. A
 * failure that says nothing about the record (the registry unreachable) is rethrown: the task
 * restarts from its last commit and the event is read again, rather than dead-lettered.
 */
final class ModerateProcessor extends ContextualProcessor<byte[], byte[], String, Outcome> {

    private final Deserializer<UploadedImage> reader;
    private final Moderator moderator;
    private final Predicate<RuntimeException> isTransient;

    ModerateProcessor(Deserializer<UploadedImage> reader, Moderator moderator,
                      Predicate<RuntimeException> isTransient) {
        this.reader = reader;
        this.moderator = moderator;
        this.isTransient = isTransient;
    }

    @Override
    public void process(Record<byte[], byte[]> event) {
        SourceCoordinates from = context().recordMetadata()
                .map(ModerateProcessor::coordinates)
                .orElse(new SourceCoordinates("unknown", -1, -1));
        Outcome outcome = read(event, from);
        context().forward(event.withKey(outcome.uploadId()).withValue(outcome));
    }

    private Outcome read(Record<byte[], byte[]> event, SourceCoordinates from) {
        if (event.value() == null || event.value().length == 0) {
            return moderator.failed(null, Reason.MALFORMED_EVENT, "the event has no value", from);
        }
        UploadedImage upload;
        try {
            upload = reader.deserialize(from.topic(), event.headers(), event.value());
        } catch (RuntimeException e) {
            if (isTransient.test(e)) {
                throw e;
            }
            return moderator.failed(null, EventReadFailure.reasonFor(e), "cannot read the upload event: " + e.getMessage(), from);
        }
        return moderator.moderate(upload, from);
    }

    private static SourceCoordinates coordinates(RecordMetadata metadata) {
        return new SourceCoordinates(metadata.topic(), metadata.partition(), metadata.offset());
    }
}
