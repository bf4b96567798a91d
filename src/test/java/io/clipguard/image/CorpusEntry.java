package io.clipguard.image;

/**
 * One input of the bad-input corpus and what must come of it.
 *
 * @param name        file name when written out
 * @param bytes       the upload's image bytes
 * @param contentType what the uploader claims (ignored by the decoder, sometimes a lie on purpose)
 * @param rejected    the reason code it must be rejected with, or null if it must decode
 * @param decoded     for inputs that must decode: size and one probed colour after compositing
 */
public record CorpusEntry(String name, byte[] bytes, String contentType, RejectReason rejected, Probe decoded) {

    /** The decoded image is {@code widthPx} x {@code heightPx} and (x, y) reads as {@code rgb} (+-12). */
    public record Probe(int widthPx, int heightPx, int x, int y, int rgb) {}

    static CorpusEntry rejected(String name, byte[] bytes, String contentType, RejectReason reason) {
        return new CorpusEntry(name, bytes, contentType, reason, null);
    }

    static CorpusEntry decodes(String name, byte[] bytes, String contentType, Probe probe) {
        return new CorpusEntry(name, bytes, contentType, null, probe);
    }

    /** The reason code in a dead-letter record, or null for an upload that must be scored. */
    public String expectedReason() {
        return rejected == null ? null : rejected.name();
    }
}
