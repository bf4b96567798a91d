package io.clipguard.topology;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.UploadLogContext;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * A latency longer than this says the upload time is wrong (in microseconds, say), not that the
     * upload waited: it is counted apart rather than distort the latency histogram.
     */
    static final Duration MAX_PLAUSIBLE_LATENCY = Duration.ofDays(30);
    /** An upload time this far ahead of the decision is the producer's clock, counted as no wait. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(1);

    /**
     * Milliseconds from upload to decision, saturating: an upload time is the producer's value, and
     * {@code Long.MAX_VALUE} or a time in microseconds must not overflow (it once failed the stream
     * thread for good).
     */
    static long endToEndMillis(Instant uploadedAt, Instant decidedAt) {
        long from = uploadedAt.toEpochMilli();
        long to = decidedAt.toEpochMilli();
        long difference = to - from;
        // overflow iff the operands have different signs and the result's sign differs from the minuend's
        if (((to ^ from) & (to ^ difference)) < 0) {
            return to >= 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return difference;
    }

    void record(Outcome outcome) {
        if (outcome instanceof Outcome.Scored scored) {
            ModerationResult result = scored.result();
            long millis = endToEndMillis(result.getUploadedAt(), result.getDecidedAt());
            if (millis >= -MAX_CLOCK_SKEW.toMillis() && millis <= MAX_PLAUSIBLE_LATENCY.toMillis()) {
                metrics.decided(Math.max(0, millis));
            } else {
                metrics.implausibleUploadTime();
            }
            metrics.scored(
                    result.getPolicyId(),
                    result.getDecidingLabel() == null ? "none" : result.getDecidingLabel(),
                    result.getAction());
            result.getBankMatches()
                    .forEach(match -> metrics.bankMatched(match.getBank(), match.getAction(), match.getBankVersion()));
        } else if (outcome instanceof Outcome.Failed failed) {
            ModerationError error = failed.error();
            metrics.deadLettered(error.getReason());
            try (UploadLogContext upload = UploadLogContext.of(error.getUploadId())) {
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
}
