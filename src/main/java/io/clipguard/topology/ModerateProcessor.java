package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import java.time.Duration;
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
 * failure of the pipeline that is not the upload's ({@link Outcome.Retry}); one that may be the
 * upload's (memory ran out decoding it) is tried again in place, then dead-lettered.
 */
final class ModerateProcessor extends ContextualProcessor<byte[], byte[], String, Outcome> {

    static final int SUSPECT_ATTEMPTS = 3;
    private static final Duration RETRY_PAUSE = Duration.ofMillis(100);
    /** A quarter of Kafka Streams' default transaction timeout (10 s) under exactly_once_v2. */
    private static final Duration RETRY_BUDGET = Duration.ofMillis(2500);

    private final UploadEventReader reader;
    private final Moderator moderator;

    ModerateProcessor(
            Deserializer<UploadedImage> deserializer, Moderator moderator, Predicate<RuntimeException> isTransient) {
        this.reader = new UploadEventReader(deserializer, moderator, isTransient);
        this.moderator = moderator;
    }

    /**
     * Moderates an upload, trying again in place while a failure may be the upload's (memory ran out
     * decoding it): after {@value #SUSPECT_ATTEMPTS} such failures in a row, or 2.5 s of them, it is the
     * upload's, and becomes its dead letter. Restarting the task instead would read the same
     * event into the same failure for ever, and stall its partition.
     */
    private Outcome moderate(UploadedImage upload, SourceCoordinates from) {
        long start = System.nanoTime();
        Outcome outcome = moderator.moderate(upload, from);
        for (int attempt = 1; outcome instanceof Outcome.Retry retry && retry.lastResort() != null; attempt++) {
            // attempts that each take long (a heap thrashing in GC) would outlast the open transaction
            if (attempt >= SUSPECT_ATTEMPTS || System.nanoTime() - start > RETRY_BUDGET.toNanos()) {
                return moderator.failed(
                        retry.uploadId(), retry.lastResort(), retry.cause() + " (" + attempt + " attempts)", from);
            }
            try {
                Thread.sleep(RETRY_PAUSE.toMillis() * attempt); // memory others held may be free by then
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return outcome;
            }
            outcome = moderator.moderate(upload, from);
        }
        return outcome;
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
        Outcome outcome = read.failure() != null ? read.failure() : moderate(read.upload(), from);
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
