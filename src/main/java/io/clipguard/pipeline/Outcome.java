package io.clipguard.pipeline;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;

/** What became of one upload: exactly one of a result or a dead-letter record. */
public sealed interface Outcome {

    /** The upload id, or null for an event that could not be read. */
    String uploadId();

    /** The upload was scored. */
    record Scored(ModerationResult result) implements Outcome {
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
