package io.clipguard.app;

import io.clipguard.encode.DynamicBatcher;
import io.clipguard.management.HealthCheck;
import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of the moderation job, as Quarkus and Micronaut judge a Kafka Streams
 * application, plus the pipeline's own parts.
 *
 * <p>Live: while starting (the model loads); then while the client is not in ERROR, not stopped
 * unless we are stopping, has at least one stream thread alive (the {@code alive-stream-threads}
 * client metric: dead threads do not always move the client to ERROR), the batcher's dispatchers
 * run, no encoder call has run longer than {@code management.max-encode-ms}, the policy topic watcher and the event loader run, and
 * the encoder has not failed {@value #MAX_FAILED_BATCHES} batches in a row. Ready: the model
 * and policy are loaded, the client is RUNNING (rebalancing is live, not ready) and the cluster answers
 * (a client stays RUNNING for a while after its brokers are gone). Thread-safe.
 */
final class AppHealth implements HealthCheck {

    static final int MAX_FAILED_BATCHES = 10;
    /**
     * An encoder call running longer than this is hung (60 s by default: a ViT-B/32 batch of 256 takes
     * seconds on a CPU, well under a second on a GPU).
     */
    private final Duration maxEncode;

    /** What health reads of the Kafka Streams client: its state and its live stream threads. */
    interface Client {
        KafkaStreams.State state();

        /** The {@code alive-stream-threads} client metric; 1 while not reported yet. */
        double aliveStreamThreads();

        static Client of(KafkaStreams streams) {
            return new Client() {
                @Override
                public KafkaStreams.State state() {
                    return streams.state();
                }

                @Override
                public double aliveStreamThreads() {
                    return AppHealth.aliveStreamThreads(streams);
                }
            };
        }
    }

    private volatile Client streams;
    private volatile DynamicBatcher batcher;
    private volatile Supplier<String> brokerProblem;
    private volatile Supplier<String> stoppedWatcher;
    private volatile boolean stopping;

    AppHealth(Duration maxEncode) {
        this.maxEncode = maxEncode;
    }

    /** The job is loaded: from now on its client, batcher and cluster are what health is judged by. */
    void started(KafkaStreams streams, DynamicBatcher batcher, BrokerProbe brokers, Supplier<String> stoppedPart) {
        started(
                Client.of(streams),
                batcher,
                brokers == null ? () -> null : brokers::problem,
                stoppedPart == null ? () -> null : stoppedPart);
    }

    /**
     * @param brokerProblem  null while the cluster answers, else what is wrong
     * @param stoppedWatcher null while every background part (the policy topic watcher, the event
     *                       loader) runs, else which one stopped
     */
    void started(
            Client streams, DynamicBatcher batcher, Supplier<String> brokerProblem, Supplier<String> stoppedWatcher) {
        this.batcher = batcher;
        this.brokerProblem = brokerProblem;
        this.stoppedWatcher = stoppedWatcher;
        this.streams = streams;
    }

    /** A deliberate stop: not ready, and a stopped client is no failure. */
    void stopping() {
        stopping = true;
    }

    @Override
    public Status live() {
        Client client = streams;
        if (client == null) {
            return Status.up("starting: loading the model and policy");
        }
        KafkaStreams.State state = client.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            return Status.down("the Kafka Streams client is in " + state);
        }
        if (!stopping && (state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN)) {
            return Status.down("the Kafka Streams client stopped (" + state + ") without being told to");
        }
        if (state.isRunningOrRebalancing() && client.aliveStreamThreads() == 0) {
            return Status.down("no stream thread is alive");
        }
        DynamicBatcher pipeline = batcher;
        if (pipeline != null && !stopping && !pipeline.dispatchersAlive()) {
            return Status.down("an encoder batch dispatcher died");
        }
        String watcher = stoppedWatcher.get();
        if (watcher != null && !stopping) {
            return Status.down(watcher);
        }
        if (pipeline != null && pipeline.encoding().compareTo(maxEncode) > 0) {
            return Status.down("an encoder call has not returned for "
                    + pipeline.encoding().toSeconds() + " s");
        }
        if (pipeline != null && pipeline.consecutiveFailures() >= MAX_FAILED_BATCHES) {
            return Status.down("the encoder failed " + pipeline.consecutiveFailures() + " batches in a row");
        }
        return Status.up(state.toString());
    }

    @Override
    public Status ready() {
        Client client = streams;
        if (client == null) {
            return Status.down("starting: loading the model and policy");
        }
        if (stopping) {
            return Status.down("stopping");
        }
        KafkaStreams.State state = client.state();
        if (state != KafkaStreams.State.RUNNING) {
            return Status.down("the Kafka Streams client is " + state);
        }
        String problem = brokerProblem.get();
        return problem == null ? Status.up("RUNNING") : Status.down(problem);
    }

    private static double aliveStreamThreads(KafkaStreams client) {
        for (Metric metric : client.metrics().values()) {
            if (metric.metricName().name().equals("alive-stream-threads")
                    && metric.metricValue() instanceof Number alive) {
                return alive.doubleValue();
            }
        }
        return 1; // not reported (yet): judge by the state alone
    }
}
