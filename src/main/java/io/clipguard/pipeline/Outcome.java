package io.clipguard.pipeline;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;

/**
 * What became of one upload: a result or a dead-letter record, exactly one of which is written per
 * upload; or, internally, {@link Retry}: not yet, for a reason that is not the upload's fault.
 */
public sealed interface Outcome {

    /** The upload id, or null for an event that could not be read. */
    String uploadId();

    /**
     * The upload was scored.
     *
     * @param result the decision of the policy in force
     * @param shadow the decision of the shadow (candidate) policy where it differs, else null
     */
    record Scored(ModerationResult result, ModerationResult shadow) implements Outcome {

        /** Scored without a differing shadow decision. */
        public Scored(ModerationResult result) {
            this(result, null);
        }

        @Override
        public String uploadId() {
            return result.getUploadId();
        }
    }

    /** The upload could not be scored. */
    record Failed(ModerationError error) implements Outcome {
        @Override
        public String uploadId() {
            return error.getUploadId();
        }
    }

    /**
     * The upload could not be moderated now for a reason that is not its own fault (the encoder
     * failed, the pipeline is shutting down, memory ran short, the registry is unavailable): it
     * must be tried again, never dead-lettered. Never written to a topic.
     *
     * @param uploadId   the upload id, or null when the event was not read yet
     * @param cause      what failed, for logs
     * @param lastResort the dead-letter reason once retries are used up, where failing again and again
     *                   does point at the upload; null to retry without end
     */
    record Retry(String uploadId, String cause, Reason lastResort) implements Outcome {

        /** Retried without end: the failure is never the upload's. */
        public Retry(String uploadId, String cause) {
            this(uploadId, cause, null);
        }
    }
}
