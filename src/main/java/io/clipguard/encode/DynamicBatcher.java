package io.clipguard.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A dynamic batcher in front of an {@link ImageEncoder}, shared by every stream thread and task of an
 * instance (as Triton's dynamic batcher is): requests from all partitions join one bounded queue; a
 * batch is dispatched when it reaches {@code maxBatchSize} or when its oldest request has waited
 * {@code maxDelay}. One dispatcher thread per encoder instance.
 *
 * <p>Thread-safe. {@link #submit} blocks while the queue is full, which slows the callers down
 * instead of growing memory. Encoder failures complete the batch's futures exceptionally.
 */
public final class DynamicBatcher implements AutoCloseable {

  /** One image's embedding and where its time went. */
  public record Embedded(float[] embedding, double queueMillis, double encodeMillis, int batchSize) {
  }

  private record Request(float[] pixels, long enqueuedNanos, CompletableFuture<Embedded> result) {
  }

  private final ImageEncoder encoder;
  private final BatchingConfig config;
  private final BlockingQueue<Request> queue;
  private final List<Thread> dispatchers = new ArrayList<>();
  private final BatchListener listener;
  private final LongSupplier nanoTime;
  private volatile boolean closed;

  /** Observes dispatched batches, for metrics; must not throw. */
  public interface BatchListener {
    BatchListener NONE = (size, encodeMillis) -> { };

    void batchEncoded(int size, double encodeMillis);
  }

  public DynamicBatcher(ImageEncoder encoder, BatchingConfig config, int dispatcherThreads,
      BatchListener listener) {
    this(encoder, config, dispatcherThreads, listener, System::nanoTime);
  }

  DynamicBatcher(ImageEncoder encoder, BatchingConfig config, int dispatcherThreads,
      BatchListener listener, LongSupplier nanoTime) {
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
   * Queues one pre-processed image; blocks while the queue is full.
   *
   * @throws InterruptedException when interrupted while waiting for room
   * @throws IllegalStateException after {@link #close()}
   */
  public CompletableFuture<Embedded> submit(float[] pixels) throws InterruptedException {
    if (closed) {
      throw new IllegalStateException("the batcher is closed");
    }
    CompletableFuture<Embedded> result = new CompletableFuture<>();
    queue.put(new Request(pixels, nanoTime.getAsLong(), result));
    return result;
  }

  /** Images waiting for a batch right now. */
  public int queued() {
    return queue.size();
  }

  private void dispatchLoop() {
    while (!closed) {
      try {
        List<Request> batch = nextBatch();
        if (!batch.isEmpty()) {
          encode(batch);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private List<Request> nextBatch() throws InterruptedException {
    Request first = queue.poll(100, TimeUnit.MILLISECONDS);
    List<Request> batch = new ArrayList<>(config.maxBatchSize());
    if (first == null) {
      return batch;
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
    return batch;
  }

  private void encode(List<Request> batch) {
    long start = nanoTime.getAsLong();
    try {
      float[][] embeddings = encoder.encode(batch.stream().map(Request::pixels).toList());
      double encodeMillis = (nanoTime.getAsLong() - start) / 1e6;
      listener.batchEncoded(batch.size(), encodeMillis);
      for (int i = 0; i < batch.size(); i++) {
        Request request = batch.get(i);
        double queueMillis = (start - request.enqueuedNanos()) / 1e6;
        request.result().complete(new Embedded(embeddings[i], queueMillis, encodeMillis, batch.size()));
      }
    } catch (RuntimeException e) {
      batch.forEach(request -> request.result().completeExceptionally(e));
    }
  }

  /** Stops the dispatchers; requests still queued fail with {@link IllegalStateException}. */
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
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(r -> r.result().completeExceptionally(new IllegalStateException("the batcher closed")));
  }
}
