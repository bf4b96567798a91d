package io.clipguard.app;

import io.clipguard.config.BatchConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.AsyncModerator;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance-wide machinery of the batched mode: the pre-processing pool and the dynamic batcher
 * in front of the image encoder, shared by all stream threads and tasks. Close after Kafka Streams.
 */
final class BatchingRuntime implements AutoCloseable {

    private final ExecutorService preprocessPool;
    private final DynamicBatcher batcher;
    private final AsyncModerator moderator;

    private BatchingRuntime(ExecutorService preprocessPool, DynamicBatcher batcher, AsyncModerator moderator) {
        this.preprocessPool = preprocessPool;
        this.batcher = batcher;
        this.moderator = moderator;
    }

    static BatchingRuntime start(ModelRuntime runtime, BatchConfig config, int encoderInstances,
                                 PipelineMetrics metrics) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(config.preprocessThreads(), task -> {
            Thread thread = new Thread(task, "preprocess-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        DynamicBatcher batcher = new DynamicBatcher(runtime.imageEncoder(), config.batching(), encoderInstances,
                metrics::batchEncoded);
        AsyncModerator moderator = new AsyncModerator(runtime.moderator(), pool, batcher,
                config.maxInFlight(encoderInstances), metrics);
        return new BatchingRuntime(pool, batcher, moderator);
    }

    AsyncModerator moderator() {
        return moderator;
    }

    @Override
    public void close() {
        batcher.close();
        preprocessPool.shutdownNow();
        try {
            preprocessPool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
