package io.clipguard.topology;

import io.clipguard.encode.BatchingConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.encode.LambdaEncoder;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.ByteBudget;
import io.clipguard.pipeline.Moderator;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;

/** The same contract through the pre-processing pool, the dynamic batcher and the in-flight store. */
class BatchedTopologyTest extends ModerationTopologyContract {

    private ExecutorService pool;
    private ExecutorService fetchPool;
    private DynamicBatcher batcher;
    private final RememberingLoader loader = new RememberingLoader();

    @Override
    Topology build(ModerationTopics topics, Moderator moderator, Predicate<RuntimeException> isTransient) {
        pool = Executors.newFixedThreadPool(2);
        fetchPool = Executors.newFixedThreadPool(2);
        ImageEncoder encoder = LambdaEncoder.of(3, pixelBatch -> {
            float[][] out = new float[pixelBatch.size()][3];
            for (int i = 0; i < out.length; i++) {
                out[i][(int) pixelBatch.get(i)[0]] = 1;
            }
            return out;
        });
        batcher = new DynamicBatcher(
                encoder, new BatchingConfig(4, Duration.ofMillis(2), 16), 1, DynamicBatcher.BatchListener.NONE);
        return ModerationTopology.batched(
                topics,
                moderator,
                new AsyncModerator(moderator, fetchPool, pool, batcher, PipelineMetrics.NONE, Duration.ofSeconds(30)),
                isTransient,
                new Admission(new ByteBudget(1024 * 1024), Duration.ofSeconds(2), 2 * 1024 * 1024),
                loader,
                metrics);
    }

    @Override
    void sent(io.clipguard.pipeline.SourceCoordinates at, byte[] key, byte[] value) {
        loader.remember(at, key, value);
    }

    @Override
    boolean retriesInPlace() {
        return true;
    }

    @Override
    void settle() {
        KeyValueStore<String, Object> inFlight = driver.getKeyValueStore(BatchingModerateProcessor.STORE);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!isEmpty(inFlight)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("uploads still in flight after 10 s");
            }
            driver.advanceWallClockTime(Duration.ofMillis(5));
        }
    }

    private static boolean isEmpty(KeyValueStore<String, Object> store) {
        try (KeyValueIterator<String, Object> all = store.all()) {
            return !all.hasNext();
        }
    }

    @AfterEach
    void stopBatching() {
        batcher.close();
        pool.shutdownNow();
        fetchPool.shutdownNow();
    }
}
