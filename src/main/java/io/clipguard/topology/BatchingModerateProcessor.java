package io.clipguard.topology;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.SourceCoordinates;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
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
 * <p>Why nothing is lost or doubled: an accepted event's place (topic, partition, offset) is put into
 * a changelogged store before it is submitted, and deleted in the same step that forwards its outcome.
 * Under {@code exactly_once_v2} Kafka Streams commits the store's changelog, the outputs and the input
 * offsets in one transaction, so whenever an event's offset is committed, either its outcome is
 * committed too or its place is still in the store; on (re)start, {@link #init} reads every stored
 * event again from its topic ({@link EventLoader}) and finishes it. (The batched mode refuses {@code
 * at_least_once}: there the outcome and the store delete are separate writes, and losing the first
 * after the second would lose the upload.)
 *
 * <p>Why nothing is stuck, and the heap is bounded: the stream thread never waits on a fetch, a decode
 * or the encoder. It waits only for room in the instance's byte budget, which every upload at work is
 * charged for (its event, and its share of the decoded image and the encoder's input), at most {@link
 * Admission#maxBlock()} between two visits to its loop (forwarding its own outcomes meanwhile). An
 * upload that finds no room in that time is parked: only its place is kept, no bytes, and it is read
 * again from its topic once there is room, in the order it came. Nothing is ever let in over the
 * budget. A failure that is not the upload's fault ({@link Outcome.Retry}: the registry unavailable,
 * the encoder failing, memory) keeps the upload and tries it again with backoff, never as a dead
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
    private static final long PARKING_LOG_INTERVAL_NANOS =
            Duration.ofSeconds(10).toNanos();

    private final UploadEventReader reader;
    private final Moderator moderator;
    private final AsyncModerator async;
    private final Admission admission;
    private final EventLoader loader;
    private KeyValueStore<String, InFlightUpload> inFlight;
    private Run run;

    BatchingModerateProcessor(
            Deserializer<UploadedImage> reader,
            Moderator moderator,
            AsyncModerator async,
            Predicate<RuntimeException> isTransient,
            Admission admission,
            EventLoader loader) {
        this.reader = new UploadEventReader(reader, moderator, isTransient);
        this.moderator = moderator;
        this.async = async;
        this.admission = admission;
        this.loader = loader;
    }

    /** An upload this task has accepted and not yet forwarded an outcome for. */
    private static final class Pending {
        /** With its bytes while it is at work; only its place while parked. */
        InFlightUpload upload;

        final String key;
        final long chargeBytes;
        /** Whether it holds its room in the budget: from admission until its image is let go. */
        final AtomicBoolean charged = new AtomicBoolean();

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

    /**
     * A parked upload read again from its topic; {@code loaded} null when the topic no longer has it,
     * {@code failed} when reading it failed (it is parked again).
     */
    private record Reloaded(Pending pending, EventLoader.Loaded loaded, boolean failed) {}

    /** One run of this task, from {@code init} to {@code close}. */
    private static final class Run {
        final Map<String, Pending> pending = new HashMap<>();
        final Queue<Done> done = new ConcurrentLinkedQueue<>();
        final PriorityQueue<Pending> retries = new PriorityQueue<>(Comparator.comparingLong(p -> p.retryAtNanos));
        /** Waiting for room, in the order they came; only their places are held. */
        final Deque<Pending> parked = new ArrayDeque<>();

        final Queue<Reloaded> reloaded = new ConcurrentLinkedQueue<>();
        volatile boolean closed;
        Cancellable punctuator;
        long parkingLoggedAtNanos = System.nanoTime() - PARKING_LOG_INTERVAL_NANOS - 1;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        super.init(context);
        run = new Run();
        inFlight = context.getStateStore(STORE);
        run.punctuator = context.schedule(FORWARD_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> punctuate());
        List<InFlightUpload> unfinished = new ArrayList<>();
        try (KeyValueIterator<String, InFlightUpload> stored = inFlight.all()) {
            stored.forEachRemaining(entry -> unfinished.add(entry.value));
        }
        // in the order they came: store keys sort as text, offsets must sort as numbers
        unfinished.sort(Comparator.comparing((InFlightUpload u) -> u.from().topic())
                .thenComparingInt(u -> u.from().partition())
                .thenComparingLong(u -> u.from().offset()));
        run.parkingLoggedAtNanos = System.nanoTime(); // resuming is logged below, not as "no room"
        for (InFlightUpload upload : unfinished) {
            park(track(new Pending(upload, admission.charge(upload.eventBytes()))));
        }
        if (!unfinished.isEmpty()) {
            LOG.info(
                    "task {}: resuming {} uploads that were in flight when it last stopped, as the budget allows",
                    context.taskId(),
                    unfinished.size());
        }
    }

    @Override
    public void process(Record<byte[], byte[]> event) {
        forwardDone();
        SourceCoordinates from = UploadEventReader.coordinates(context().recordMetadata());
        byte[] value = event.value() == null ? new byte[0] : event.value();
        InFlightUpload upload = InFlightUpload.held(from, event.timestamp(), value, event.key());
        String key = upload.key();
        if (run.pending.containsKey(key)) {
            return; // already resumed from the store
        }
        if (upload.eventBytes() > admission.largestEvent()) {
            forward(
                    UploadEventReader.failedUnread(
                            moderator,
                            event.key(),
                            Reason.IMAGE_TOO_LARGE,
                            "the upload event and its key have " + upload.eventBytes() + " bytes, over the limit of "
                                    + admission.largestEvent() + " for an event (input.max-image-bytes plus 1 MiB)",
                            from),
                    event.timestamp());
            return;
        }
        Pending pending = track(new Pending(upload, admission.charge(upload.eventBytes())));
        try {
            inFlight.put(key, upload.ref());
        } catch (RuntimeException e) { // a failed changelog send: the task is closed
            run.pending.remove(key);
            throw e;
        }
        if (!run.parked.isEmpty() || !admit(pending)) {
            park(pending); // behind the ones already waiting, or no room in time
            return;
        }
        start(pending);
    }

    /** Waits for room in the budget (forwarding this task's outcomes meanwhile) as long as allowed. */
    private boolean admit(Pending pending) {
        if (!admission.admit(pending.chargeBytes, this::forwardDone)) {
            return false;
        }
        pending.charged.set(true);
        return true;
    }

    /** Keeps only the upload's place until there is room for it. */
    private void park(Pending pending) {
        pending.upload = pending.upload.ref();
        long now = System.nanoTime();
        if (run.parked.isEmpty() && now - run.parkingLoggedAtNanos > PARKING_LOG_INTERVAL_NANOS) {
            run.parkingLoggedAtNanos = now; // once, then now and then: under a long overload this recurs
            LOG.info(
                    "task {}: no room for uploads in the in-flight budget ({} of {} bytes held); parking them,"
                            + " to be read again from their topic in turn",
                    context().taskId(),
                    admission.budget().usedBytes(),
                    admission.budget().capacityBytes());
        }
        run.parked.add(pending);
        admission.parked().join(pending);
    }

    /**
     * Lets this task's parked uploads in while each is the instance's oldest and there is room for it;
     * reads each again from its topic.
     */
    private void unpark() {
        Run current = run;
        while (!current.parked.isEmpty()) {
            Pending next = current.parked.peek();
            if (!admission.parked().isFirst(next) || !admission.tryAdmitNow(next.chargeBytes)) {
                return; // another task's upload waits longer, or there is no room yet
            }
            current.parked.poll();
            admission.parked().leave(next);
            next.charged.set(true);
            loader.load(next.upload.from())
                    .whenComplete((loaded, e) -> current.reloaded.add(new Reloaded(next, loaded, e != null)));
        }
    }

    /** Starts the uploads read again; one whose event is gone from its topic is dead-lettered. */
    private void startReloaded() {
        for (Reloaded next = run.reloaded.poll(); next != null; next = run.reloaded.poll()) {
            Pending pending = next.pending();
            if (run.pending.get(pending.key) != pending) {
                uncharge(pending);
                continue;
            }
            if (next.failed()) {
                uncharge(pending);
                park(pending); // not the upload's fault: it waits for its turn again
                continue;
            }
            if (next.loaded() == null) {
                run.done.add(new Done(
                        pending,
                        moderator.failed(
                                null,
                                Reason.EVENT_UNAVAILABLE,
                                "the event was accepted, but its topic no longer had it when it was read again to be"
                                        + " finished (retention shorter than the time it waited?)",
                                pending.upload.from())));
                continue;
            }
            pending.upload = pending.upload.with(
                    next.loaded().value() == null ? new byte[0] : next.loaded().value(),
                    next.loaded().key());
            start(pending);
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
        unpark();
        startReloaded();
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
     * Forwards an outcome; if a step after this one fails on it in a way nobody foresaw, its upload is
     * dead-lettered instead, so that one value never fails the thread for ever. Kafka's own failures
     * (the broker, the registry, a fenced producer) fail the task, which keeps the upload in the store.
     */
    private void forwardOrDeadLetter(Pending pending, Outcome outcome) {
        try {
            forward(outcome, pending.upload.timestamp());
        } catch (KafkaException e) {
            if (!DownstreamFailure.ofTheOutcome(e)) {
                throw e;
            }
            LOG.error(
                    "task {}: writing the outcome of upload at {} failed; dead-lettering it",
                    context().taskId(),
                    pending.key,
                    e);
            forward(
                    moderator.failed(
                            outcome.uploadId(),
                            Reason.PROCESSING_FAILED,
                            "writing its outcome failed: " + e.getCause(),
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
        // Outcomes still in flight are not forwarded by this run: their places are still in the store,
        // so whoever runs this task next (this instance, which then picks up the same uploads where they
        // are, or another) finishes them.
        Run ending = run;
        ending.closed = true;
        ending.punctuator.cancel(); // a revived task keeps its punctuation queue: do not pile them up
        async.orphan(ending.pending.keySet());
        admission.parked().leaveAll(ending.parked);
        // an upload whose job still runs holds its image until the job ends, and is uncharged then; one
        // being read again is uncharged here, and its late arrival is dropped
        ending.pending.values().stream().filter(pending -> !pending.running).forEach(this::uncharge);
        ending.pending.clear();
        ending.parked.clear();
        ending.retries.clear();
        ending.done.clear();
        ending.reloaded.clear();
    }
}
