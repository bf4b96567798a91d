package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
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
 * is submitted, and deleted in the same step that forwards its outcome. Under {@code
 * exactly_once_v2} Kafka Streams commits the store's changelog, the outputs and the input offsets in
 * one transaction, so whenever an event's offset is committed, either its outcome is committed too
 * or the event is still in the store; on (re)start, {@link #init} resubmits everything in the store.
 * (The batched mode refuses {@code at_least_once}: there the outcome and the store delete are
 * separate writes, and losing the first after the second would lose the upload.)
 *
 * <p>Why nothing is stuck: the stream thread never waits on a fetch, a decode or the encoder. It
 * waits only for room in the instance's byte budget, at most {@link Admission#maxBlock()} per upload
 * (forwarding its own outcomes meanwhile); past that the upload is let in over the budget. A failure
 * that is not the upload's fault ({@link Outcome.Retry}: the registry unavailable, the encoder
 * failing, memory) keeps the upload in the store and tries it again with backoff, never as a dead
 * letter. Kafka Streams reuses processor instances (a task closed dirty is revived, a suspended one
 * resumed, {@code init} called again): everything per task lives in a {@link Run} made anew by
 * {@code init}, and what an earlier run left behind is ignored.
 *
 * <p>Outcomes may leave in a different order than uploads arrived: results are keyed by upload id
 * and each upload is decided independently, so no consumer depends on order.
 */
final class BatchingModerateProcessor extends ContextualProcessor<byte[], byte[], String, Outcome> {

    static final String STORE = "in-flight-uploads";
    /** How often a failure that may be the upload's must recur before the upload is blamed. */
    static final int SUSPECT_FAILURES_BEFORE_BLAME = 3;

    private static final Logger LOG = LoggerFactory.getLogger(BatchingModerateProcessor.class);
    private static final Duration FORWARD_INTERVAL = Duration.ofMillis(5);
    private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(5).toNanos();
    private static final long FIRST_BACKOFF_NANOS = Duration.ofMillis(100).toNanos();

    private final UploadEventReader reader;
    private final Moderator moderator;
    private final AsyncModerator async;
    private final Admission admission;
    private KeyValueStore<String, InFlightUpload> inFlight;
    private Run run;

    BatchingModerateProcessor(
            Deserializer<UploadedImage> reader,
            Moderator moderator,
            AsyncModerator async,
            Predicate<RuntimeException> isTransient,
            Admission admission) {
        this.reader = new UploadEventReader(reader, moderator, isTransient);
        this.moderator = moderator;
        this.async = async;
        this.admission = admission;
    }

    /** An upload this task has accepted and not yet forwarded an outcome for. */
    private static final class Pending {
        final InFlightUpload upload;
        final String key;
        final long chargeBytes;
        final AtomicBoolean charged = new AtomicBoolean(true);
        volatile boolean running;
        /** Every start, whatever ended it: for the backoff and the logs. */
        int attempts;
        /**
         * Failures that may be the upload's own, by the reason it would be blamed for. Registry pauses,
         * outages and shutdowns never count here, so they never use up an upload's chances.
         */
        final Map<Reason, Integer> suspectFailures = new EnumMap<>(Reason.class);

        long retryAtNanos;

        Pending(InFlightUpload upload, long chargeBytes) {
            this.upload = upload;
            this.key = upload.key();
            this.chargeBytes = chargeBytes;
        }
    }

    private record Done(Pending pending, Outcome outcome) {}

    /** One run of this task, from {@code init} to {@code close}. */
    private static final class Run {
        final Map<String, Pending> pending = new HashMap<>();
        final Queue<Done> done = new ConcurrentLinkedQueue<>();
        final PriorityQueue<Pending> retries = new PriorityQueue<>(Comparator.comparingLong(p -> p.retryAtNanos));
        volatile boolean closed;
        Cancellable punctuator;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        run = new Run();
        inFlight = context.getStateStore(STORE);
        run.punctuator = context.schedule(FORWARD_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
        int resumed = 0;
        try (KeyValueIterator<String, InFlightUpload> unfinished = inFlight.all()) {
            while (unfinished.hasNext()) {
                KeyValue<String, InFlightUpload> entry = unfinished.next();
                long charge = Admission.charge(entry.value.bytes());
                admission.budget().acquireOver(charge); // already in memory: the store holds it
                start(track(new Pending(entry.value, charge)));
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
        byte[] value = event.value() == null ? new byte[0] : event.value();
        InFlightUpload upload = new InFlightUpload(from, event.timestamp(), value, event.key());
        String key = upload.key();
        if (run.pending.containsKey(key)) {
            return; // already resubmitted from the store
        }
        if (upload.bytes() > admission.largestStorableEvent()) {
            forward(
                    UploadEventReader.failedUnread(
                            moderator,
                            event.key(),
                            Reason.IMAGE_TOO_LARGE,
                            "the upload event and its key have " + upload.bytes() + " bytes, over the limit of "
                                    + admission.largestStorableEvent() + " for an event in flight",
                            from),
                    event.timestamp());
            return;
        }
        long charge = Admission.charge(upload.bytes());
        admit(charge);
        Pending pending = track(new Pending(upload, charge));
        try {
            inFlight.put(key, upload);
        } catch (RuntimeException e) { // a failed changelog send: the task is closed, the charge given back
            run.pending.remove(key);
            uncharge(pending);
            throw e;
        }
        start(pending);
    }

    /** Waits for room in the budget (forwarding this task's outcomes meanwhile) as long as allowed. */
    private void admit(long chargeBytes) {
        if (!admission.admit(chargeBytes, this::forwardDone)) {
            LOG.warn(
                    "task {}: no room for an upload within {} ms; letting it in over the in-flight budget"
                            + " ({} of {} bytes held)",
                    context().taskId(),
                    admission.maxBlock().toMillis(),
                    admission.budget().usedBytes(),
                    admission.budget().capacityBytes());
        }
    }

    private Pending track(Pending pending) {
        run.pending.put(pending.key, pending);
        return pending;
    }

    private void start(Pending pending) {
        Run current = run;
        pending.attempts++;
        if (RegistryPause.active(System.nanoTime())) {
            // the registry just failed a read on this thread: do not make the thread wait on it again now
            current.done.add(new Done(pending, new Outcome.Retry(null, "the schema registry is unavailable")));
            return;
        }
        UploadEventReader.Read read;
        try {
            read = reader.read(
                    new RecordHeaders(), pending.upload.recordKey(), pending.upload.event(), pending.upload.from());
            RegistryPause.succeeded();
        } catch (RuntimeException transientFailure) { // the reader rethrows only failures that are not the event's
            RegistryPause.failed(System.nanoTime());
            current.done.add(
                    new Done(pending, new Outcome.Retry(null, "cannot read the event now: " + transientFailure)));
            return;
        }
        if (read.failure() != null) {
            current.done.add(new Done(pending, read.failure()));
            return;
        }
        pending.running = true;
        async.moderate(pending.key, read.upload(), pending.upload.from()).thenAccept(outcome -> {
            pending.running = false;
            if (!(outcome instanceof Outcome.Retry) || current.closed) {
                uncharge(pending); // the image is let go: its bytes no longer count
            }
            if (!current.closed) {
                current.done.add(new Done(pending, outcome));
            }
        });
    }

    private void punctuate() {
        admission.loopReached();
        forwardDone();
        long now = System.nanoTime();
        while (!run.retries.isEmpty() && now - run.retries.peek().retryAtNanos >= 0) {
            Pending due = run.retries.poll();
            if (run.pending.get(due.key) == due) {
                start(due);
            }
        }
    }

    private void forwardDone() {
        for (Done next = run.done.poll(); next != null; next = run.done.poll()) {
            Pending pending = next.pending();
            if (run.pending.get(pending.key) != pending) {
                continue;
            }
            Outcome outcome = next.outcome();
            if (outcome instanceof Outcome.Retry retry) {
                int suspected = retry.lastResort() == null
                        ? 0
                        : pending.suspectFailures.merge(retry.lastResort(), 1, Integer::sum);
                if (suspected < SUSPECT_FAILURES_BEFORE_BLAME) {
                    scheduleRetry(pending, retry);
                    continue;
                }
                outcome = moderator.failed(
                        retry.uploadId(),
                        retry.lastResort(),
                        retry.cause() + " (failed so " + suspected + " times, in " + pending.attempts + " attempts)",
                        pending.upload.from());
            }
            forwardOrDeadLetter(pending, outcome);
            inFlight.put(pending.key, null); // a delete without reading the old event back (about 1 MB)
            run.pending.remove(pending.key);
            uncharge(pending);
        }
    }

    /**
     * Forwards an outcome; if a step downstream throws for it in a way nobody foresaw, its upload is
     * dead-lettered instead, so that one value never fails the thread for ever. Kafka's own exceptions
     * (the broker, the registry, a fenced producer) are Kafka Streams' to handle.
     */
    private void forwardOrDeadLetter(Pending pending, Outcome outcome) {
        try {
            forward(outcome, pending.upload.timestamp());
        } catch (KafkaException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error(
                    "task {}: writing the outcome of upload at {} failed; dead-lettering it",
                    context().taskId(),
                    pending.key,
                    e);
            forward(
                    moderator.failed(
                            outcome.uploadId(),
                            Reason.PROCESSING_FAILED,
                            "writing its outcome failed: " + e,
                            pending.upload.from()),
                    pending.upload.timestamp());
        }
    }

    private void scheduleRetry(Pending pending, Outcome.Retry retry) {
        long backoff = Math.min(MAX_BACKOFF_NANOS, FIRST_BACKOFF_NANOS << Math.min(pending.attempts - 1, 10));
        pending.retryAtNanos = System.nanoTime() + backoff;
        run.retries.add(pending);
        if (pending.attempts == 1 || pending.attempts % 10 == 0) { // once, then now and then: an outage is long
            LOG.warn(
                    "task {}: upload {} at {} will be tried again in {} ms (attempt {}): {}",
                    context().taskId(),
                    retry.uploadId(),
                    pending.key,
                    backoff / 1_000_000,
                    pending.attempts,
                    retry.cause());
        }
    }

    private void forward(Outcome outcome, long timestamp) {
        context().forward(new Record<>(outcome.uploadId(), outcome, timestamp));
    }

    private void uncharge(Pending pending) {
        if (pending.charged.compareAndSet(true, false)) {
            admission.budget().release(pending.chargeBytes);
        }
    }

    @Override
    public void close() {
        // Outcomes still in flight are not forwarded by this run: their events are still in the store,
        // so whoever runs this task next (this instance, which then picks up the same uploads where they
        // are, or another) finishes them.
        Run ending = run;
        ending.closed = true;
        ending.punctuator.cancel(); // a revived task keeps its punctuation queue: do not pile them up
        async.orphan(ending.pending.keySet());
        // an upload whose job still runs holds its image until the job ends, and is uncharged then
        ending.pending.values().stream().filter(pending -> !pending.running).forEach(this::uncharge);
        ending.pending.clear();
        ending.retries.clear();
        ending.done.clear();
    }
}
