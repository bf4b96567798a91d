package io.clipguard.image;

/** Why an image was rejected; stable codes for dead-letter records and metrics. */
public enum RejectReason {
    /** No bytes at all. */
    IMAGE_EMPTY,
    /** The bytes are not in a format the decoder reads or allows. */
    UNSUPPORTED_FORMAT,
    /** The header declares more pixels than the configured cap. */
    IMAGE_TOO_LARGE,
    /** The format was recognised but the data (or its header) could not be decoded. */
    IMAGE_UNDECODABLE
}
