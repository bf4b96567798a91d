package io.clipguard.pipeline;

import io.clipguard.avro.UploadedImage;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.metrics.PipelineMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;

/**
 * Moderates uploads asynchronously, for every stream thread and task of an instance at once:
 * pre-processing (fetch, decode, resize, normalise) on its own worker pool, encoding through the
 * shared {@link DynamicBatcher}, scoring when the embedding is back.
 *
 * <p>At most {@code maxInFlight} uploads are in progress; {@link #moderate} blocks beyond that, so
 * a burst slows the consumer down instead of growing the heap. Thread-safe. The returned futures
 * never complete exceptionally: every failure is a dead-letter {@link Outcome}.
 */
public final class AsyncModerator {

    private final Moderator moderator;
    private final ExecutorService preprocessPool;
    private final DynamicBatcher batcher;
    private final Semaphore inFlight;
    private final PipelineMetrics metrics;

    public AsyncModerator(Moderator moderator, ExecutorService preprocessPool, DynamicBatcher batcher,
                          int maxInFlight, PipelineMetrics metrics) {
        this.moderator = moderator;
        this.preprocessPool = preprocessPool;
        this.batcher = batcher;
        this.inFlight = new Semaphore(maxInFlight);
        this.metrics = metrics;
    }

    /** Starts moderating one upload; blocks while {@code maxInFlight} uploads are in progress. */
    public CompletableFuture<Outcome> moderate(UploadedImage upload, SourceCoordinates from)
            throws InterruptedException {
        inFlight.acquire();
        CompletableFuture<Outcome> outcome = CompletableFuture
                .supplyAsync(() -> prepare(upload, from), preprocessPool)
                .thenCompose(prepared -> prepared instanceof Moderator.Prepared ready
                        ? encodeAndDecide(ready)
                        : CompletableFuture.completedFuture((Outcome) prepared))
                .exceptionally(e -> moderator.failed(upload.getUploadId(), Reason.ENCODER_FAILED,
                        String.valueOf(unwrap(e)), from));
        outcome.whenComplete((done, e) -> {
            inFlight.release();
            if (done instanceof Outcome.Scored scored) {
                metrics.decided(Duration.between(scored.result().getUploadedAt(), scored.result().getDecidedAt())
                        .toNanos() / 1e6);
            }
        });
        return outcome;
    }


    /** A prepared upload, or the dead-letter outcome of one that could not be prepared. */
    private Object prepare(UploadedImage upload, SourceCoordinates from) {
        try {
            return moderator.prepare(upload, from);
        } catch (RejectedUploadException e) {
            return moderator.failed(upload.getUploadId(), e.reason(), e.getMessage(), from);
        }
    }

    private CompletableFuture<Outcome> encodeAndDecide(Moderator.Prepared prepared) {
        try {
            return batcher.submit(prepared.pixels())
                    .thenApply(embedded -> {
                        metrics.queueWaited(embedded.queueMillis());
                        return moderator.decide(prepared, embedded.embedding(), embedded.encodeMillis());
                    });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
