package io.clipguard.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dynamic batcher in front of an {@link ImageEncoder}, shared by every stream thread and task of an
 * instance (as Triton's dynamic batcher is): requests from all partitions join one bounded queue; a
 * batch is dispatched when it reaches {@code maxBatchSize} or when its oldest request has waited
 * {@code maxDelay}. One dispatcher thread per encoder instance.
 *
 * <p>Thread-safe. {@link #submit} blocks while the queue is full, which slows the callers down
 * instead of growing memory. Every future completes, whatever the encoder throws ({@code Error}s
 * included): when a batch fails, each of its images is encoded again alone, so one bad image fails
 * alone and an encoder that fails for everyone fails every image as not at fault. An image that fails
 * alone while others encode, or alone in a batch of one right after the encoder worked, is {@link
 * EncodeFailedException#suspect()}: its caller tries it again and blames it only if it keeps failing. {@link #close()} fails what is still queued as
 * not at fault.
 */
public final class DynamicBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

    /** One image's embedding and where its time went. */
    public record Embedded(float[] embedding, double queueMillis, double encodeMillis, int batchSize) {}

    private record Request(float[] pixels, long enqueuedNanos, CompletableFuture<Embedded> result) {}

    private final ImageEncoder encoder;
    private final BatchingConfig config;
    private final BlockingQueue<Request> queue;
    private final List<Thread> dispatchers = new ArrayList<>();
    private final BatchListener listener;
    private final LongSupplier nanoTime;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile boolean lastBatchEncoded;
    /** When the encoder call now running started (nanoTime), or 0 while none runs. */
    private final java.util.concurrent.atomic.AtomicLong encodingSinceNanos =
            new java.util.concurrent.atomic.AtomicLong();

    private volatile boolean closed;

    /** Observes dispatched batches, for metrics; must not throw. */
    public interface BatchListener {
        BatchListener NONE = (size, encodeMillis) -> {};

        void batchEncoded(int size, double encodeMillis);

        /** The encoder threw on a batch of {@code size}; its images are encoded again one by one. */
        default void batchFailed(int size) {}
    }

    public DynamicBatcher(ImageEncoder encoder, BatchingConfig config, int dispatcherThreads, BatchListener listener) {
        this(encoder, config, dispatcherThreads, listener, System::nanoTime);
    }

    DynamicBatcher(
            ImageEncoder encoder,
            BatchingConfig config,
            int dispatcherThreads,
            BatchListener listener,
            LongSupplier nanoTime) {
        this.encoder = encoder;
        this.config = config;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        this.listener = listener;
        this.nanoTime = nanoTime;
        for (int i = 0; i < dispatcherThreads; i++) {
            Thread thread = new Thread(this::dispatchLoop, "encoder-batcher-" + i);
            thread.setDaemon(true);
            dispatchers.add(thread);
            thread.start();
        }
    }

    /**
     * Queues one pre-processed image; blocks while the queue is full. After {@link #close()} the
     * returned future fails at once, as not at fault.
     *
     * @throws InterruptedException when interrupted while waiting for room
     */
    public CompletableFuture<Embedded> submit(float[] pixels) throws InterruptedException {
        CompletableFuture<Embedded> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(closedFailure());
            return result;
        }
        queue.put(new Request(pixels, nanoTime.getAsLong(), result));
        if (closed) {
            failQueued(); // close() may have drained the queue just before this request joined it
        }
        return result;
    }

    /** Images waiting for a batch right now. */
    public int queued() {
        return queue.size();
    }

    /** Batches in a row that failed for every image; 0 after any success. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /**
     * How long the longest encoder call now running has been running; zero while none runs. A call that
     * never returns (a hung driver) shows here, and nowhere else: its images simply never complete.
     */
    public java.time.Duration encoding() {
        long since = encodingSinceNanos.get();
        return since == 0 ? java.time.Duration.ZERO : java.time.Duration.ofNanos(nanoTime.getAsLong() - since);
    }

    /** Whether every dispatcher thread is still running (false after close). */
    public boolean dispatchersAlive() {
        return !closed && dispatchers.stream().allMatch(Thread::isAlive);
    }

    private void dispatchLoop() {
        while (!closed) {
            List<Request> batch = new ArrayList<>(config.maxBatchSize());
            try {
                fillBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // closing: what was taken is still encoded below
            } catch (Throwable e) {
                LOG.error("encoder batcher failed forming a batch", e);
            }
            if (!batch.isEmpty()) {
                encode(batch);
            }
        }
    }

    /** Takes requests into {@code batch}; what it took stays there even when interrupted. */
    private void fillBatch(List<Request> batch) throws InterruptedException {
        Request first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = first.enqueuedNanos() + config.maxDelay().toNanos();
        while (batch.size() < config.maxBatchSize()) {
            Request next = queue.poll();
            if (next == null) {
                long waitNanos = deadline - nanoTime.getAsLong();
                next = waitNanos > 0 ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : null;
            }
            if (next == null) {
                break;
            }
            batch.add(next);
        }
    }

    private void encode(List<Request> batch) {
        long start = nanoTime.getAsLong();
        encodingSinceNanos.compareAndSet(0, start); // with several dispatchers, the oldest call counts
        try {
            float[][] embeddings =
                    encoder.encode(batch.stream().map(Request::pixels).toList());
            double encodeMillis = (nanoTime.getAsLong() - start) / 1e6;
            listener.batchEncoded(batch.size(), encodeMillis);
            consecutiveFailures.set(0);
            lastBatchEncoded = true;
            for (int i = 0; i < batch.size(); i++) {
                complete(batch.get(i), embeddings[i], start, encodeMillis, batch.size());
            }
        } catch (Throwable e) { // an Error must not kill the dispatcher and strand the batch's futures
            LOG.warn("encoder failed on a batch of {}; encoding its images one by one", batch.size(), e);
            listener.batchFailed(batch.size());
            encodeOneByOne(batch, e, lastBatchEncoded);
        } finally {
            encodingSinceNanos.compareAndSet(start, 0);
        }
    }

    /**
     * @param engineWorking whether the batch before this one encoded: then an image that fails alone
     *                      may well be at fault, and is blamed after repeated failures
     */
    private void encodeOneByOne(List<Request> batch, Throwable batchFailure, boolean engineWorking) {
        List<Request> failed = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        if (batch.size() > 1) {
            for (Request request : batch) {
                long start = nanoTime.getAsLong();
                try {
                    float[] embedding = encoder.encode(List.of(request.pixels()))[0];
                    complete(request, embedding, start, (nanoTime.getAsLong() - start) / 1e6, 1);
                } catch (Throwable e) {
                    failed.add(request);
                    failures.add(e);
                }
            }
        } else {
            failed.addAll(batch);
            failures.add(batchFailure);
        }
        boolean othersEncoded = failed.size() < batch.size();
        lastBatchEncoded = othersEncoded;
        if (othersEncoded) {
            consecutiveFailures.set(0);
        } else {
            consecutiveFailures.incrementAndGet();
        }
        for (int i = 0; i < failed.size(); i++) {
            Throwable cause = failures.get(i);
            failed.get(i)
                    .result()
                    .completeExceptionally(new EncodeFailedException(
                            othersEncoded
                                    ? "the encoder failed on this image alone: " + cause
                                    : "the encoder failed for every image of the batch: " + cause,
                            cause,
                            othersEncoded || engineWorking));
        }
    }

    private void complete(Request request, float[] embedding, long start, double encodeMillis, int batchSize) {
        double queueMillis = (start - request.enqueuedNanos()) / 1e6;
        request.result().complete(new Embedded(embedding, queueMillis, encodeMillis, batchSize));
    }

    /**
     * Stops the dispatchers; requests still queued, and any submitted from now on, fail as not at
     * fault. A batch being encoded when the wait for the dispatchers ends still completes its futures.
     */
    @Override
    public void close() {
        closed = true;
        dispatchers.forEach(Thread::interrupt);
        for (Thread thread : dispatchers) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        failQueued();
    }

    private void failQueued() {
        List<Request> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(r -> r.result().completeExceptionally(closedFailure()));
    }

    private static EncodeFailedException closedFailure() {
        return new EncodeFailedException("the batcher is closed", null, false);
    }
}
