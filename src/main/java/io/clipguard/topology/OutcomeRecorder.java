package io.clipguard.topology;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.Outcome;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where outcomes are counted, their end-to-end latency measured and dead letters logged,
 * as they leave the moderate step for their topics, in either mode. (Under exactly_once_v2 an aborted transaction is redone, so a count may include
 * an outcome that was written once but forwarded twice.)
 */
final class OutcomeRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final PipelineMetrics metrics;

    OutcomeRecorder(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    void record(Outcome outcome) {
        if (outcome instanceof Outcome.Scored scored) {
            ModerationResult result = scored.result();
            metrics.decided(Duration.between(result.getUploadedAt(), result.getDecidedAt())
                            .toNanos()
                    / 1e6);
            metrics.scored(
                    result.getPolicyId(),
                    result.getDecidingLabel() == null ? "none" : result.getDecidingLabel(),
                    result.getAction());
        } else if (outcome instanceof Outcome.Failed failed) {
            ModerationError error = failed.error();
            metrics.deadLettered(error.getReason());
            LOG.warn(
                    "dead letter {} for upload {} from {}[{}]@{}: {}",
                    error.getReason(),
                    error.getUploadId(),
                    error.getSourceTopic(),
                    error.getSourcePartition(),
                    error.getSourceOffset(),
                    error.getMessage());
        }
    }
}
