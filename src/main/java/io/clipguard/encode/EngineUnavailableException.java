package io.clipguard.encode;

/** The requested inference engine cannot run on this host (no native library, no GPU). */
public final class EngineUnavailableException extends EncoderException {

    private static final long serialVersionUID = 1L;

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
