package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import java.time.Duration;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ContextualProcessor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each upload to the shared {@link AsyncModerator} and forwards outcomes as they complete,
 * from a wall-clock punctuator (and before each new record), on the stream thread.
 *
 * <p>Why nothing is lost or doubled: an accepted event is put into a changelogged store before it
 * is submitted, and deleted in the same step that forwards its outcome. Kafka Streams commits the
 * store's changelog, the outputs and the input offsets together (atomically with
 * {@code exactly_once_v2}), so whenever an event's offset is committed, either its outcome is
 * committed too or the event is still in the store; on (re)start, {@link #init} resubmits
 * everything in the store. Outcomes may leave in a different order than uploads arrived: results are
 * keyed by upload id and each upload is decided independently, so no consumer depends on order.
 */
final class BatchingModerateProcessor extends ContextualProcessor<byte[], byte[], String, Outcome> {

    static final String STORE = "in-flight-uploads";
    private static final Logger LOG = LoggerFactory.getLogger(BatchingModerateProcessor.class);
    private static final Duration FORWARD_INTERVAL = Duration.ofMillis(5);

    private record Done(String key, long timestamp, Outcome outcome) {
    }

    private final UploadEventReader reader;
    private final AsyncModerator async;
    private final Queue<Done> done = new ConcurrentLinkedQueue<>();
    private final Set<String> pending = new HashSet<>();
    private KeyValueStore<String, InFlightUpload> inFlight;
    private volatile boolean closed;

    BatchingModerateProcessor(Deserializer<UploadedImage> reader, Moderator moderator, AsyncModerator async,
                              Predicate<RuntimeException> isTransient) {
        this.reader = new UploadEventReader(reader, moderator, isTransient);
        this.async = async;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        inFlight = context.getStateStore(STORE);
        context.schedule(FORWARD_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> forwardDone());
        int resumed = 0;
        try (KeyValueIterator<String, InFlightUpload> unfinished = inFlight.all()) {
            while (unfinished.hasNext()) {
                KeyValue<String, InFlightUpload> entry = unfinished.next();
                start(entry.value, entry.value.from());
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("task {}: resumed {} uploads that were in flight when it last stopped", context.taskId(), resumed);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> event) {
        forwardDone();
        SourceCoordinates from = UploadEventReader.coordinates(context().recordMetadata());
        InFlightUpload upload = new InFlightUpload(from, event.timestamp(), event.value() == null ? new byte[0]
                : event.value());
        if (pending.contains(upload.key())) {
            return; // already resubmitted from the store after a restart (at-least-once replay)
        }
        inFlight.put(upload.key(), upload);
        start(upload, from);
    }

    private void start(InFlightUpload upload, SourceCoordinates from) {
        pending.add(upload.key());
        UploadEventReader.Read read = reader.read(new RecordHeaders(), upload.event(), from);
        if (read.failure() != null) {
            finish(upload, read.failure());
            return;
        }
        try {
            async.moderate(read.upload(), from).thenAccept(outcome -> finish(upload, outcome));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for room in the encoder queue", e);
        }
    }

    private void finish(InFlightUpload upload, Outcome outcome) {
        if (!closed) {
            done.add(new Done(upload.key(), upload.timestamp(), outcome));
        }
    }

    private void forwardDone() {
        for (Done next = done.poll(); next != null; next = done.poll()) {
            context().forward(new Record<>(next.outcome().uploadId(), next.outcome(), next.timestamp()));
            inFlight.delete(next.key());
            pending.remove(next.key());
        }
    }

    @Override
    public void close() {
        // Outcomes still in flight are dropped here: their events are still in the store, so whoever
        // owns this task next (this instance after a restart, or another) finishes them.
        closed = true;
    }
}
