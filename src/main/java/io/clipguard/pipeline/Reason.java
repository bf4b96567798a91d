package io.clipguard.pipeline;

/**
 * Why an upload went to the dead-letter topic. The names are stable: review tools and alerts match on
 * them. See avro/README.md for what each means and what to do about it.
 */
public enum Reason {
    /** The event's bytes are not a readable upload event (bad magic byte, truncated, not Avro). */
    MALFORMED_EVENT,
    /** The event names a schema id the registry does not know. */
    UNKNOWN_SCHEMA,
    /** The event has neither image bytes nor an image URI. */
    MISSING_IMAGE,
    /** The event has an image URI, and this deployment cannot fetch it. */
    URI_UNSUPPORTED,
    /** The URI's scheme, host or address is not allowed. */
    URI_REFUSED,
    /** Fetching the image failed after retries. */
    FETCH_FAILED,
    /** The image is there but has no bytes. */
    IMAGE_EMPTY,
    /** The bytes are a format that is refused (for example HEIC, SVG, PDF, text). */
    UNSUPPORTED_FORMAT,
    /** The bytes claim a supported format but cannot be decoded. */
    IMAGE_UNDECODABLE,
    /** The image exceeds the byte or pixel limits. */
    IMAGE_TOO_LARGE,
    /** The encoder failed on this image, alone, again and again. */
    ENCODER_FAILED,
    /**
     * A step of the job failed on this upload in a way it did not foresee (a bug), again and again: the
     * upload is dead-lettered so that its partition moves on. Report it, with the dead letter.
     */
    PROCESSING_FAILED,
    /**
     * The event was accepted, but when it was read again from its topic to be finished (after a
     * restart, or after waiting for room) the topic no longer had it: the topic's retention is shorter
     * than the time it waited. Send it again.
     */
    EVENT_UNAVAILABLE
}
