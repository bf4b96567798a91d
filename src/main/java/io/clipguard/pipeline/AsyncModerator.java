package io.clipguard.pipeline;

import io.clipguard.avro.UploadedImage;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.EncodeFailedException;
import io.clipguard.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moderates uploads asynchronously, for every stream thread and task of an instance at once. An
 * upload's way: fetch (only for an {@code image_uri}: I/O, on its own many threads, bounded by the
 * upload's fetch deadline) -> decode, pre-process and hand to the shared {@link DynamicBatcher}, all
 * on one pre-processing thread (CPU) -> scoring, on a thread of its own. The image's bytes are let go
 * once it is decoded.
 *
 * <p>Memory: a pre-processing thread hands its image to the batcher itself, waiting while the batcher's
 * queue is full, so encoder inputs exist only for the images queued or in the encoder and on those
 * threads, never for a whole backlog. Fetched image bytes are charged to the byte budget from the fetch
 * until they are decoded.
 *
 * <p>Uploads are known by a key unique per event. Asking again for a key still in progress returns
 * the same future, so a task that is closed and opened again (a revived or re-assigned task) picks up
 * its uploads where they are instead of fetching and encoding them a second time. Uploads of a task
 * that closed for good ({@link #orphan}) stop at their next stage once not asked for again within
 * the grace period.
 *
 * <p>The returned futures always complete, never exceptionally: with a {@link Outcome.Scored}, a
 * dead-letter {@link Outcome.Failed} for a fault of the upload's own, or {@link Outcome.Retry} for a
 * failure that is not (the encoder failing for everyone, memory, shutdown). Thread-safe.
 */
public final class AsyncModerator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncModerator.class);

    private final Moderator moderator;
    private final ExecutorService fetchPool;
    private final ExecutorService cpuPool;
    private final ExecutorService scorer = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "score");
        thread.setDaemon(true);
        return thread;
    });
    private final DynamicBatcher batcher;
    private final PipelineMetrics metrics;
    private final long orphanGraceNanos;
    private final ByteBudget fetchedBytes;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
    /** Fetched images that may wait to be decoded, beyond those on the pre-processing threads. */
    static final int FETCHED_AHEAD = 8;

    private final Semaphore fetchedAhead = new Semaphore(FETCHED_AHEAD);
    private volatile boolean closed;

    /**
     * @param fetchPool   threads that fetch images by URI (many: they wait on the network)
     * @param cpuPool     threads that decode and pre-process
     * @param orphanGrace how long the uploads of a closed task keep going in case it is opened again
     */
    public AsyncModerator(
            Moderator moderator,
            ExecutorService fetchPool,
            ExecutorService cpuPool,
            DynamicBatcher batcher,
            PipelineMetrics metrics,
            Duration orphanGrace) {
        this(moderator, fetchPool, cpuPool, batcher, metrics, orphanGrace, new ByteBudget(Long.MAX_VALUE));
    }

    /** As above; fetched image bytes are charged to {@code fetchedBytes} until they are decoded. */
    public AsyncModerator(
            Moderator moderator,
            ExecutorService fetchPool,
            ExecutorService cpuPool,
            DynamicBatcher batcher,
            PipelineMetrics metrics,
            Duration orphanGrace,
            ByteBudget fetchedBytes) {
        this.moderator = moderator;
        this.fetchPool = fetchPool;
        this.cpuPool = cpuPool;
        this.batcher = batcher;
        this.metrics = metrics;
        this.orphanGraceNanos = orphanGrace.toNanos();
        this.fetchedBytes = fetchedBytes;
    }

    /**
     * Starts moderating one upload, or returns the future of the same key's upload still in progress.
     * Never blocks. The upload's image bytes are cleared from {@code upload} once decoded.
     *
     * @param key unique per event (topic, partition, offset)
     */
    public CompletableFuture<Outcome> moderate(String key, UploadedImage upload, SourceCoordinates from) {
        if (closed) {
            return CompletableFuture.completedFuture(
                    new Outcome.Retry(upload.getUploadId(), "the pipeline is closing"));
        }
        boolean[] created = new boolean[1];
        Job job = jobs.compute(key, (k, running) -> {
            if (running != null && running.adopt()) {
                return running;
            }
            created[0] = true;
            return new Job(k, upload, from);
        });
        if (created[0]) {
            start(job);
        }
        return job.outcome;
    }

    /** The uploads of a task that closed: they stop unless asked for again within the grace period. */
    public void orphan(Collection<String> keys) {
        long now = System.nanoTime();
        keys.forEach(key -> {
            Job job = jobs.get(key);
            if (job != null) {
                job.orphanedAtNanos = now;
            }
        });
    }

    /**
     * Waits until the uploads in progress now are decided, or the timeout passes, and a little longer
     * for their outcomes to be forwarded; for a stop that hands over as little as possible.
     *
     * @return how many of them were still in progress at the timeout
     */
    public int awaitInProgress(Duration timeout) {
        List<CompletableFuture<Outcome>> now =
                jobs.values().stream().map(job -> job.outcome).toList();
        try {
            CompletableFuture.allOf(now.toArray(CompletableFuture[]::new))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            Thread.sleep(50); // the stream threads forward outcomes every few milliseconds
        } catch (TimeoutException | ExecutionException e) {
            // what is left stays in the in-flight store for the next owner
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return (int) now.stream().filter(future -> !future.isDone()).count();
    }

    /** Uploads in progress now. */
    public int inProgress() {
        return jobs.size();
    }

    private void start(Job job) {
        CompletableFuture<CompletableFuture<DynamicBatcher.Embedded>> submitted;
        try {
            submitted = job.needsFetch()
                    ? CompletableFuture.supplyAsync(job.step(() -> fetch(job)), fetchPool)
                            .thenApplyAsync(
                                    image -> job.step(() -> prepareAndSubmit(job, image))
                                            .get(),
                                    cpuPool)
                    : CompletableFuture.supplyAsync(
                            job.step(() -> prepareAndSubmit(job, moderator.image(job.upload))), cpuPool);
        } catch (RejectedExecutionException e) {
            submitted = CompletableFuture.failedFuture(e);
        }
        submitted
                .thenCompose(embedding -> embedding)
                .thenApplyAsync(embedded -> decide(job, embedded), scorer)
                .exceptionally(e -> outcomeOf(job, unwrap(e)))
                .whenComplete((outcome, e) -> finish(job, outcome, e));
    }

    /**
     * Fetches the image; its bytes count against the budget until they are decoded. At most {@value
     * #FETCHED_AHEAD} fetched images wait for a pre-processing thread: past that a fetch thread keeps its
     * image until one is taken, so fetched images never pile up in the pre-processing queue.
     */
    private byte[] fetch(Job job) throws Exception {
        byte[] image = moderator.image(job.upload);
        while (!fetchedAhead.tryAcquire(100, TimeUnit.MILLISECONDS)) {
            job.checkAlive();
        }
        job.fetchPermit.set(true);
        fetchedBytes.acquireOver(image.length);
        job.fetchedCharge.set(image.length);
        return image;
    }

    /**
     * Decodes and pre-processes, then hands the image to the batcher on this same thread, waiting while
     * its queue is full: no queue of prepared images builds up between the two.
     */
    private CompletableFuture<DynamicBatcher.Embedded> prepareAndSubmit(Job job, byte[] image) throws Exception {
        Moderator.Prepared prepared;
        try {
            job.upload.setImageBytes(null); // the only copy left is the local one, gone once decoded
            prepared = moderator.prepare(job.upload, image, job.from);
        } finally {
            releaseFetched(job);
        }
        job.prepared = prepared;
        job.checkAlive();
        return batcher.submit(prepared.pixels());
    }

    private Outcome decide(Job job, DynamicBatcher.Embedded embedded) {
        metrics.queueWaited(embedded.queueMillis());
        return moderator.decide(job.prepared, embedded.embedding(), embedded.encodeMillis());
    }

    private void releaseFetched(Job job) {
        long charge = job.fetchedCharge.getAndSet(0);
        if (charge > 0) {
            fetchedBytes.release(charge);
        }
        if (job.fetchPermit.getAndSet(false)) {
            fetchedAhead.release();
        }
    }

    private Outcome outcomeOf(Job job, Throwable e) {
        String id = job.upload.getUploadId();
        if (e instanceof RejectedUploadException rejected) {
            return moderator.failed(id, rejected.reason(), rejected.getMessage(), job.from);
        }
        if (e instanceof RetryLaterException later) {
            return new Outcome.Retry(id, later.getMessage(), later.lastResort());
        }
        if (e instanceof EncodeFailedException encode) {
            return new Outcome.Retry(id, encode.getMessage(), encode.suspect() ? Reason.ENCODER_FAILED : null);
        }
        if (e instanceof Abandoned || e instanceof RejectedExecutionException || e instanceof InterruptedException) {
            return new Outcome.Retry(id, "stopped: " + e.getMessage());
        }
        try (UploadLogContext upload = UploadLogContext.of(id)) {
            LOG.error(
                    "unexpected failure moderating upload {}; it will be tried again, and blamed if it recurs", id, e);
        }
        return new Outcome.Retry(id, "unexpected failure: " + e, Reason.PROCESSING_FAILED);
    }

    private void finish(Job job, Outcome outcome, Throwable e) {
        releaseFetched(job); // a job that ended between its fetch and its decode
        job.prepared = null;
        jobs.remove(job.key, job);
        job.outcome.complete(
                outcome != null ? outcome : new Outcome.Retry(job.upload.getUploadId(), String.valueOf(e)));
    }

    private static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Stops taking uploads; those in progress end at their next stage as {@link Outcome.Retry}, so a
     * shutdown never dead-letters anything. Close the batcher after this.
     */
    @Override
    public void close() {
        closed = true;
        fetchPool.shutdown();
        cpuPool.shutdown();
        scorer.shutdown();
        try {
            if (!cpuPool.awaitTermination(5, TimeUnit.SECONDS) | !fetchPool.awaitTermination(1, TimeUnit.SECONDS)) {
                fetchPool.shutdownNow();
                cpuPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jobs.values().forEach(job -> job.outcome.complete(new Outcome.Retry(job.upload.getUploadId(), "closed")));
    }

    /** A stage found its upload no longer wanted: the pipeline closed, or its task went elsewhere. */
    private static final class Abandoned extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Abandoned(String message) {
            super(message, null, false, false);
        }
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws Exception;
    }

    private final class Job {
        final String key;
        final UploadedImage upload;
        final SourceCoordinates from;
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final java.util.concurrent.atomic.AtomicLong fetchedCharge = new java.util.concurrent.atomic.AtomicLong();
        final java.util.concurrent.atomic.AtomicBoolean fetchPermit = new java.util.concurrent.atomic.AtomicBoolean();
        /** Between pre-processing and scoring: what scoring needs besides the embedding. */
        volatile Moderator.Prepared prepared;

        volatile long orphanedAtNanos;
        volatile boolean abandoned;

        Job(String key, UploadedImage upload, SourceCoordinates from) {
            this.key = key;
            this.upload = upload;
            this.from = from;
        }

        boolean needsFetch() {
            return upload.getImageBytes() == null && upload.getImageUri() != null;
        }

        /** Takes this job over for a task opened again; false once it was given up. */
        boolean adopt() {
            if (abandoned || outcome.isDone()) {
                return false;
            }
            orphanedAtNanos = 0;
            return true;
        }

        void checkAlive() {
            long orphaned = orphanedAtNanos;
            if (closed) {
                abandoned = true;
                throw new Abandoned("the pipeline is closing");
            }
            if (orphaned != 0 && System.nanoTime() - orphaned > orphanGraceNanos) {
                abandoned = true;
                throw new Abandoned("its task was closed and not opened again here");
            }
        }

        <T> Supplier<T> step(Step<T> step) {
            return () -> {
                checkAlive();
                try {
                    return step.run();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            };
        }
    }
}
