package io.clipguard.pipeline;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;

/** What became of one upload: exactly one of a result or a dead-letter record. */
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
}
