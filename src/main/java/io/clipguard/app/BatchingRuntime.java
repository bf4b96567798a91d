package io.clipguard.app;

import io.clipguard.config.AppConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.ByteBudget;
import io.clipguard.topology.Admission;
import io.clipguard.topology.EventLoader;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The instance-wide machinery of the batched mode, shared by all stream threads and tasks: the fetch
 * threads (I/O), the pre-processing threads (CPU), the dynamic batcher in front of the image encoder,
 * and the byte budget of uploads in flight. Close after Kafka Streams.
 */
final class BatchingRuntime implements AutoCloseable {

    /** How long the uploads of a closed task keep going in case the task comes back to this instance. */
    private static final Duration ORPHAN_GRACE = Duration.ofSeconds(30);

    private final DynamicBatcher batcher;
    private final AsyncModerator moderator;
    private final Admission admission;
    private final EventLoader loader;

    private BatchingRuntime(DynamicBatcher batcher, AsyncModerator moderator, Admission admission, EventLoader loader) {
        this.batcher = batcher;
        this.moderator = moderator;
        this.admission = admission;
        this.loader = loader;
    }

    static BatchingRuntime start(
            ModelRuntime runtime, AppConfig config, ImageEncoder encoder, PipelineMetrics metrics) {
        ExecutorService fetchPool =
                Executors.newFixedThreadPool(config.input().fetch().threads(), daemons("fetch"));
        ExecutorService cpuPool =
                Executors.newFixedThreadPool(config.batch().preprocessThreads(), daemons("preprocess"));
        DynamicBatcher.BatchListener listener = new DynamicBatcher.BatchListener() {
            @Override
            public void batchEncoded(int size, double encodeMillis) {
                metrics.batchEncoded(size, encodeMillis);
            }

            @Override
            public void batchFailed(int size) {
                metrics.batchFailed(size);
            }
        };
        DynamicBatcher batcher = new DynamicBatcher(
                encoder, config.batch().batching(), config.model().instances(), listener);
        int side = runtime.bundle().image().sizePx();
        Admission admission = new Admission(
                new ByteBudget(config.batch().maxInFlightBytes()),
                config.batch().maxBlock(),
                config.maxEventBytes(),
                3L * side * side * Float.BYTES); // the encoder's input: 602 KB at 224 px
        AsyncModerator moderator = new AsyncModerator(
                runtime.moderator(), fetchPool, cpuPool, batcher, metrics, ORPHAN_GRACE, admission.budget());
        return new BatchingRuntime(batcher, moderator, admission, EventLoader.kafka(config.streams()));
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger threads = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    AsyncModerator moderator() {
        return moderator;
    }

    Admission admission() {
        return admission;
    }

    DynamicBatcher batcher() {
        return batcher;
    }

    EventLoader loader() {
        return loader;
    }

    @Override
    public void close() {
        moderator.close();
        batcher.close();
        loader.close();
    }
}
