package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Reads one raw upload event and forwards exactly one {@link Outcome}, keyed by upload id.
 *
 * <p>An unreadable event becomes a dead-letter outcome here rather than in a deserialization
 * handler, so it carries a reason code and its source coordinates like every other failure. A
 * failure that says nothing about the record (the registry unreachable) is rethrown: the task
 * restarts from its last commit and the event is read again, rather than dead-lettered. So is a
 * failure of the pipeline that is not the upload's ({@link Outcome.Retry}).
 */
final class ModerateProcessor extends ContextualProcessor<byte[], byte[], String, Outcome> {

    private final UploadEventReader reader;
    private final Moderator moderator;

    ModerateProcessor(
            Deserializer<UploadedImage> deserializer, Moderator moderator, Predicate<RuntimeException> isTransient) {
        this.reader = new UploadEventReader(deserializer, moderator, isTransient);
        this.moderator = moderator;
    }

    @Override
    public void process(Record<byte[], byte[]> event) {
        SourceCoordinates from = UploadEventReader.coordinates(context().recordMetadata());
        UploadEventReader.Read read;
        try {
            read = reader.read(event.headers(), event.key(), event.value(), from);
        } catch (RuntimeException transientFailure) { // the reader rethrows only failures that are not the event's
            throw new PipelineUnavailableException(
                    "the event at " + from + " cannot be read now: " + transientFailure, transientFailure);
        }
        Outcome outcome = read.failure() != null ? read.failure() : moderator.moderate(read.upload(), from);
        if (outcome instanceof Outcome.Retry retry) {
            // not the upload's fault: the task restarts from its last commit and reads the event again
            throw new PipelineUnavailableException(
                    "upload " + retry.uploadId() + " at " + from + " cannot be" + " moderated now: " + retry.cause());
        }
        // a new record, not the event's: its headers are the producer's, of any size, and not ours to copy
        try {
            context().forward(new Record<>(outcome.uploadId(), outcome, event.timestamp()));
        } catch (KafkaException e) {
            if (!DownstreamFailure.ofTheOutcome(e)) {
                throw e;
            }
            Outcome failed = moderator.failed(
                    outcome.uploadId(), Reason.PROCESSING_FAILED, "writing its outcome failed: " + e.getCause(), from);
            context().forward(new Record<>(failed.uploadId(), failed, event.timestamp()));
        }
    }
}
