package io.clipguard.topology;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.internals.FailedProcessingException;

/**
 * Tells, for an exception out of {@code forward}, whether a step after the moderate step failed on the
 * outcome being forwarded, for a reason that is not transient: then that upload is dead-lettered by the
 * processor that forwarded it, the only place that knows which upload it was. Kafka Streams reports
 * such a failure as a {@link FailedProcessingException} once the processing exception handler has
 * failed the step ({@link LastResortDeadLetters}); a broker, registry or fencing problem is rethrown.
 */
final class DownstreamFailure {

    private DownstreamFailure() {}

    static boolean ofTheOutcome(KafkaException e) {
        if (!(e instanceof FailedProcessingException)) {
            return false;
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return false;
            }
        }
        return true;
    }
}
