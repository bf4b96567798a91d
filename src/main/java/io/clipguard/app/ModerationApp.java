package io.clipguard.app;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.config.AppConfig;
import io.clipguard.encode.ImageEncoder;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.topology.ModerationTopics;
import io.clipguard.topology.ModerationTopology;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streaming moderation job: the management endpoints, the model runtime, the topology built from
 * config, and the Kafka Streams instance that runs it. Close it to stop cleanly: it drains the uploads
 * in flight, leaves the group and commits what it has done.
 */
public final class ModerationApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModerationApp.class);
    /** How long a start waits for the cluster to answer about its topics before it fails. */
    private static final Duration TOPIC_LIMITS_PATIENCE = Duration.ofSeconds(60);
    /** How long a start waits for the schema registry to know the output schemas before it fails. */
    private static final Duration REGISTRY_PATIENCE = Duration.ofMinutes(5);

    private final AppConfig config;
    private final ModelRuntime runtime;
    private final BatchingRuntime batching;
    private final KafkaStreams streams;
    private final AppHealth health;
    private final Management management;
    private final DeadThreadMembers deadThreads;
    private final BankRuntime banks;

    private ModerationApp(
            AppConfig config,
            ModelRuntime runtime,
            BankRuntime banks,
            BatchingRuntime batching,
            KafkaStreams streams,
            AppHealth health,
            Management management,
            DeadThreadMembers deadThreads) {
        this.config = config;
        this.runtime = runtime;
        this.banks = banks;
        this.batching = batching;
        this.streams = streams;
        this.health = health;
        this.management = management;
        this.deadThreads = deadThreads;
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
        Logs.apply(config.log());
        AppHealth health = new AppHealth(config.management().maxEncode());
        Management management = new Management(config.management(), health);
        ModelRuntime runtime = null;
        BankRuntime banks = null;
        try {
            banks = BankRuntime.start(config);
            runtime = ModelRuntime.open(
                    config.model(),
                    config.policy(),
                    config.input(),
                    banks.lookup(),
                    config.banks().dihedral(),
                    PolicyRuntime.loggedProgress());
            PolicyRuntime policies = runtime.policies();
            config.policy().topic().ifPresent(topic -> policies.watch(topic, config.streams()));
            ModerationTopics topics = ModerationTopics.of(
                            config.topics(),
                            AvroSerdes.forClass(UploadedImage.class, config.serdeConfig(), config.serdeClass()),
                            AvroSerdes.forClass(ModerationResult.class, config.serdeConfig(), config.serdeClass()),
                            AvroSerdes.forClass(ModerationError.class, config.serdeConfig(), config.serdeClass()))
                    .withMaxOutcomeBytes(outputLimit(config));
            TopicsCheck.check(config); // the cluster answered about the limits: now the topics as a whole
            PipelineMetrics metrics =
                    management.pipelineMetrics(runtime.policy().policy());
            BatchingRuntime batching = config.batch().perRecord()
                    ? null
                    : BatchingRuntime.start(runtime, config, encoderWrapper.apply(runtime.imageEncoder()), metrics);
            Topology topology = batching == null
                    ? ModerationTopology.perRecord(topics, runtime.moderator(), ModerationApp::isTransient, metrics)
                    : ModerationTopology.batched(
                            topics,
                            runtime.moderator(),
                            batching.moderator(),
                            ModerationApp::isTransient,
                            batching.admission(),
                            batching.loader(),
                            metrics);
            OutputSchemas.register(topics, REGISTRY_PATIENCE);
            KafkaStreams streams = new KafkaStreams(topology, config.streams());
            DeadThreadMembers deadThreads = new DeadThreadMembers(config.streams());
            streams.setUncaughtExceptionHandler(e -> {
                // The task restarts from its last commit: nothing is lost, the failed event is read again.
                LOG.error("stream thread failed; replacing it and resuming from the last commit", e);
                deadThreads.threadFailed(Thread.currentThread().getName());
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
            BankRuntime bankRuntime = banks;
            management.bindBanks(banks.banks());
            BrokerProbe brokers =
                    management.bind(streams, config.streams(), config.topics().uploads(), runtime, batching);
            health.started(
                    streams,
                    batching == null ? null : batching.batcher(),
                    brokers,
                    () -> stoppedPart(policies, batching, bankRuntime));
            streams.start();
            LOG.info(
                    "moderating {} -> {}, {}, {} with model {} and policy {} v{}",
                    config.topics().uploads(),
                    config.topics().scored(),
                    config.topics().flagged(),
                    config.topics().dlq(),
                    runtime.bundle().modelId(),
                    runtime.policy().policy().id(),
                    runtime.policy().policy().version());
            return new ModerationApp(config, runtime, banks, batching, streams, health, management, deadThreads);
        } catch (RuntimeException e) {
            if (runtime != null) {
                runtime.close();
            }
            if (banks != null) {
                banks.close();
            }
            management.close();
            throw e;
        }
    }

    /**
     * The largest outcome record the job may write: the smallest message limit of the output topics,
     * read from the cluster, and no more than its producer sends.
     */
    private static int outputLimit(AppConfig config) {
        int producerLimit = Integer.parseInt(config.streams().getProperty("producer.max.request.size"));
        try (TopicLimits limits = new TopicLimits(config.streams(), TOPIC_LIMITS_PATIENCE)) {
            return Math.min(producerLimit, limits.smallestOutputLimit(config.topics()));
        }
    }

    /** Null while every background part runs, else which one stopped without being told to. */
    static String stoppedPart(PolicyRuntime policies, BatchingRuntime batching, BankRuntime banks) {
        String watcher = policies.stoppedWatcher();
        if (watcher != null) {
            return watcher;
        }
        if (banks != null && banks.stoppedPart() != null) {
            return banks.stoppedPart();
        }
        return batching != null && !batching.loader().alive() ? "the event loader stopped" : null;
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

    public ModelRuntime runtime() {
        return runtime;
    }

    /** Waits until the instance is running, or fails after the timeout. */
    public void awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline
                    || !streams.state().isRunningOrRebalancing() && streams.state() != KafkaStreams.State.CREATED) {
                throw new IllegalStateException(
                        "streams did not reach RUNNING within " + timeout + ": " + streams.state());
            }
            Thread.sleep(50);
        }
    }

    /**
     * Stops: not ready from now on; waits up to the drain time for the uploads in flight to be decided
     * and forwarded; closes Kafka Streams, leaving the group unless told not to (so the partitions move
     * to the other instances at once, not after the session timeout), which commits what was done.
     */
    @Override
    public void close() {
        health.stopping();
        long start = System.nanoTime();
        if (batching != null && streams.state().isRunningOrRebalancing()) {
            int left = batching.moderator().awaitInProgress(config.management().drain());
            LOG.info(
                    "drained uploads in flight in {} ms ({} left to the next owner)",
                    (System.nanoTime() - start) / 1_000_000,
                    left);
        }
        CloseOptions options = CloseOptions.timeout(Duration.ofSeconds(30))
                .withGroupMembershipOperation(
                        config.management().leaveGroup()
                                ? CloseOptions.GroupMembershipOperation.LEAVE_GROUP
                                : CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP);
        if (!streams.close(options)) {
            LOG.warn("Kafka Streams did not close within 30 s; what it had in flight goes to the next owner");
        }
        deadThreads.close();
        if (batching != null) {
            batching.close();
        }
        runtime.close();
        banks.close();
        management.close();
        LOG.info("stopped in {} ms", (System.nanoTime() - start) / 1_000_000);
    }
}
