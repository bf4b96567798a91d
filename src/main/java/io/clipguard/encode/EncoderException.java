package io.clipguard.encode;

/**
 * An encoder could not be loaded or could not run. At start-up this means a broken bundle or
 * host; during processing it means the engine failed (out of memory, native error), not bad input.
 */
public class EncoderException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public EncoderException(String message) {
        super(message);
    }

    public EncoderException(String message, Throwable cause) {
        super(message, cause);
    }
}
