package io.clipguard.bench;

/**
 * The benchmark's input classes, from an encoded image's header: small images, 2-4 MP baseline
 * JPEG, progressive JPEG, 8+ MP, and the rest. Reads only the JPEG markers up to the first frame.
 */
enum InputClass {
    SMALL("small images (< 0.5 MP)"),
    BASELINE_2_4_MP("2-4 MP baseline JPEG"),
    PROGRESSIVE("progressive JPEG"),
    LARGE("8+ MP"),
    OTHER("other photographs");

    private final String label;

    InputClass(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The class of one encoded image; {@code pixels} when the header does not say (not a JPEG). */
    static InputClass of(byte[] image, long pixels) {
        Frame frame = jpegFrame(image);
        long megapixels = frame == null ? pixels : (long) frame.width() * frame.height();
        if (megapixels < 500_000) {
            return SMALL;
        }
        if (megapixels >= 8_000_000) {
            return LARGE;
        }
        if (frame != null && frame.progressive()) {
            return PROGRESSIVE;
        }
        return frame != null && megapixels >= 2_000_000 && megapixels < 4_000_000 ? BASELINE_2_4_MP : OTHER;
    }

    record Frame(int width, int height, boolean progressive) {}

    /** The first SOF segment of a JPEG, or null when the bytes are not one. */
    static Frame jpegFrame(byte[] b) {
        if (b.length < 4 || (b[0] & 0xFF) != 0xFF || (b[1] & 0xFF) != 0xD8) {
            return null;
        }
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            int length = ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
            boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (frame) {
                int height = ((b[i + 5] & 0xFF) << 8) | (b[i + 6] & 0xFF);
                int width = ((b[i + 7] & 0xFF) << 8) | (b[i + 8] & 0xFF);
                return new Frame(width, height, marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE);
            }
            i += 2 + length;
        }
        return null;
    }
}
