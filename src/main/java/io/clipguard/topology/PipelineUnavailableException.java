package io.clipguard.topology;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The pipeline cannot moderate an upload now, through no fault of the upload (the encoder failing,
 * memory, shutdown): the stream thread restarts the task from its last commit instead of writing a
 * dead letter.
 */
final class PipelineUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    PipelineUnavailableException(String message) {
        super(message);
    }

    PipelineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
