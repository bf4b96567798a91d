package io.clipguard.app;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.AppConfig;
import io.clipguard.metrics.KafkaPipelineMetrics;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.topology.ModerationTopics;
import io.clipguard.topology.ModerationTopology;
import io.clipguard.encode.ImageEncoder;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming moderation job: the model runtime, the topology built from config, and the Kafka
 * Streams instance that runs it. Close it to stop cleanly (it commits what it has done).
 */
public final class ModerationApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModerationApp.class);

    private final ModelRuntime runtime;
    private final BatchingRuntime batching;
    private final KafkaPipelineMetrics metrics;
    private final KafkaStreams streams;

    private ModerationApp(ModelRuntime runtime, BatchingRuntime batching, KafkaPipelineMetrics metrics,
                          KafkaStreams streams) {
        this.runtime = runtime;
        this.batching = batching;
        this.metrics = metrics;
        this.streams = streams;
    }

    /** Loads the model and policy, builds the topology and starts processing. */
    public static ModerationApp start(AppConfig config) {
        return start(config, UnaryOperator.identity());
    }

    /**
     * As {@link #start(AppConfig)}, with the batched mode's image encoder wrapped: the seam for
     * fault tests that make a real encoder fail or slow down.
     */
    public static ModerationApp start(AppConfig config, UnaryOperator<ImageEncoder> encoderWrapper) {
        ModelRuntime runtime = ModelRuntime.open(config.model(), config.policy(), config.input(),
                PolicyRuntime.loggedProgress());
        config.policy().topic().ifPresent(topic -> runtime.policies().watch(topic, config.streams()));
        ModerationTopics topics = ModerationTopics.of(config.topics(),
                AvroSerdes.forClass(UploadedImage.class, config.serdeConfig(), config.serdeClass()),
                AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass()),
                AvroSerdes.forClass(ModerationError.class, config.serdeConfig(), config.serdeClass()));
        KafkaPipelineMetrics metrics = new KafkaPipelineMetrics();
        BatchingRuntime batching = config.batch().perRecord() ? null
                : BatchingRuntime.start(runtime, config, encoderWrapper.apply(runtime.imageEncoder()), metrics);
        Topology topology = batching == null
                ? ModerationTopology.perRecord(topics, runtime.moderator(), ModerationApp::isTransient)
                : ModerationTopology.batched(topics, runtime.moderator(), batching.moderator(), ModerationApp::isTransient,
                        batching.admission());
        KafkaStreams streams = new KafkaStreams(topology, config.streams());
        streams.setUncaughtExceptionHandler(e -> {
            // The task restarts from its last commit: nothing is lost, the failed event is read again.
            LOG.error("stream thread failed; replacing it and resuming from the last commit", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        LOG.info("moderating {} -> {}, {}, {} with model {} and policy {} v{}", config.topics().uploads(),
                config.topics().scored(), config.topics().flagged(), config.topics().dlq(),
                runtime.bundle().modelId(), runtime.policy().policy().id(), runtime.policy().policy().version());
        return new ModerationApp(runtime, batching, metrics, streams);
    }

    /** A failure that says nothing about the record: retry by restarting the task, never dead-letter. */
    static boolean isTransient(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Batch size, queue wait, encoder time and end-to-end latency (batched mode). */
    public KafkaPipelineMetrics metrics() {
        return metrics;
    }

    public ModelRuntime runtime() {
        return runtime;
    }

    /** Waits until the instance is running, or fails after the timeout. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || !streams.state().isRunningOrRebalancing()
                    && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException("streams did not reach RUNNING within " + timeout + ": "
                        + streams.state());
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        streams.close(Duration.ofSeconds(30));
        if (batching != null) {
            batching.close();
        }
        runtime.close();
        metrics.close();
    }
}
