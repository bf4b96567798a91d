package io.clipguard.app;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.Timings;
import io.clipguard.topology.ModerationTopics;
import io.clipguard.topology.Topic;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers (or looks up) the output topics' value schemas through the very serializers the topology
 * writes with, before the job starts reading: their ids are then cached, so writing an outcome never
 * waits on the registry. Otherwise the first outcome after a cold start needs the registry at that
 * moment, and a registry that does not answer fails the stream thread that writes it.
 */
final class OutputSchemas {

    private static final Logger LOG = LoggerFactory.getLogger(OutputSchemas.class);
    private static final Duration RETRY = Duration.ofSeconds(1);

    private OutputSchemas() {}

    /**
     * Waits until every output topic's schema is known, asking again while the registry is unavailable
     * (unreachable, 5xx, 401/403, a 404 that is not the registry's).
     *
     * @throws IllegalStateException when the registry has not answered within {@code patience}, or
     *     refuses a schema (incompatible, invalid)
     */
    static void register(ModerationTopics topics, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        int attempts = 0;
        List<Runnable> samples = List.of(
                () -> write(topics.scored(), sampleResult()),
                () -> write(topics.flagged(), sampleResult()),
                () -> write(topics.shadow(), sampleResult()),
                () -> write(topics.dlq(), sampleError()));
        for (Runnable sample : samples) {
            while (true) {
                try {
                    sample.run();
                    break;
                } catch (RuntimeException e) {
                    if (!isTransient(e)) {
                        throw new IllegalStateException(
                                "cannot register an output topic's schema: " + e.getMessage(), e);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "the schema registry did not answer within " + patience + ": " + e.getMessage(), e);
                    }
                    if (attempts++ % 10 == 0) {
                        LOG.warn(
                                "not ready: the output schemas are not known yet, the registry is unavailable ({});"
                                        + " asking again every {} ms",
                                e.getMessage(),
                                RETRY.toMillis());
                    }
                    sleep();
                }
            }
        }
    }

    private static <V> void write(Topic<String, V> topic, V sample) {
        topic.valueSerde().serializer().serialize(topic.name(), sample);
    }

    private static boolean isTransient(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }

    private static ModerationResult sampleResult() {
        return ModerationResult.newBuilder()
                .setUploadId("schema-check")
                .setFlagged(false)
                .setAction("allow")
                .setLabels(List.of())
                .setModelId("")
                .setModelVersion("")
                .setPolicyId("")
                .setPolicyVersion("")
                .setUploadedAt(Instant.EPOCH)
                .setDecidedAt(Instant.EPOCH)
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0))
                .setAttributes(Map.of())
                .build();
    }

    private static ModerationError sampleError() {
        return ModerationError.newBuilder()
                .setReason("")
                .setMessage("")
                .setSourceTopic("")
                .setSourcePartition(0)
                .setSourceOffset(0)
                .setFailedAt(Instant.EPOCH)
                .build();
    }

    private static void sleep() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the schema registry", e);
        }
    }
}
