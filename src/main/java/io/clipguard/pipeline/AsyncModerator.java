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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moderates uploads asynchronously, for every stream thread and task of an instance at once. An
 * upload's way: fetch (only for an {@code image_uri}: I/O, on its own many threads, bounded by the
 * upload's fetch deadline) -> decode and pre-process (CPU, on the pre-processing threads) -> the
 * shared {@link DynamicBatcher} -> scoring. The image's bytes are let go once it is decoded.
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
    private final DynamicBatcher batcher;
    private final PipelineMetrics metrics;
    private final long orphanGraceNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Job> jobs = new ConcurrentHashMap<>();
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
        this(moderator, fetchPool, cpuPool, batcher, metrics, orphanGrace, System::nanoTime);
    }

    AsyncModerator(
            Moderator moderator,
            ExecutorService fetchPool,
            ExecutorService cpuPool,
            DynamicBatcher batcher,
            PipelineMetrics metrics,
            Duration orphanGrace,
            LongSupplier nanoTime) {
        this.moderator = moderator;
        this.fetchPool = fetchPool;
        this.cpuPool = cpuPool;
        this.batcher = batcher;
        this.metrics = metrics;
        this.orphanGraceNanos = orphanGrace.toNanos();
        this.nanoTime = nanoTime;
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
        long now = nanoTime.getAsLong();
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
        CompletableFuture<Moderator.Prepared> prepared;
        try {
            prepared = job.needsFetch()
                    ? CompletableFuture.supplyAsync(job.step(() -> moderator.image(job.upload)), fetchPool)
                            .thenApplyAsync(
                                    image -> job.step(() -> prepare(job, image)).get(), cpuPool)
                    : CompletableFuture.supplyAsync(job.step(() -> prepare(job, moderator.image(job.upload))), cpuPool);
        } catch (RejectedExecutionException e) {
            prepared = CompletableFuture.failedFuture(e);
        }
        // async: the stream thread that attached this step must never run it (submit can block)
        prepared.thenComposeAsync(ready -> encode(job, ready), cpuPool)
                .exceptionally(e -> outcomeOf(job, unwrap(e)))
                .whenComplete((outcome, e) -> finish(job, outcome, e));
    }

    private Moderator.Prepared prepare(Job job, byte[] image) throws Exception {
        job.upload.setImageBytes(null); // the only copy left is the local one, gone once decoded
        return moderator.prepare(job.upload, image, job.from);
    }

    private CompletableFuture<Outcome> encode(Job job, Moderator.Prepared prepared) {
        try {
            job.checkAlive();
            // scoring on the CPU pool: the batcher's dispatcher thread goes straight back to the encoder
            return batcher.submit(prepared.pixels())
                    .thenApplyAsync(
                            embedded -> {
                                metrics.queueWaited(embedded.queueMillis());
                                return moderator.decide(prepared, embedded.embedding(), embedded.encodeMillis());
                            },
                            cpuPool);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(e);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
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
        LOG.error("unexpected failure moderating upload {}; it will be tried again, and blamed if it recurs", id, e);
        return new Outcome.Retry(id, "unexpected failure: " + e, Reason.PROCESSING_FAILED);
    }

    private void finish(Job job, Outcome outcome, Throwable e) {
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
            if (orphaned != 0 && nanoTime.getAsLong() - orphaned > orphanGraceNanos) {
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
