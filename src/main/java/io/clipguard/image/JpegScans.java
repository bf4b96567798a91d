package io.clipguard.image;

/**
 * Counts a JPEG's scans (SOS segments) without decoding: a progressive decoder passes over every
 * block of the image once per scan, so a small file of many tiny scans is a CPU bomb (2,000 scans of
 * 26 bytes over a 12 MP frame: 123 KB, 15 s of libjpeg-turbo at 1/4 scale). Encoders write about 10
 * (libjpeg's default script) and rarely more than a few dozen.
 */
final class JpegScans {

    /** More scans than this are refused: at most about a second of decoding for 12 MP. */
    static final int MAX_SCANS = 100;

    private JpegScans() {}

    /** Refuses a JPEG of more than {@link #MAX_SCANS} scans, before any decoder sees it. */
    static void requireFew(byte[] jpeg) {
        int scans = count(jpeg, MAX_SCANS);
        if (scans > MAX_SCANS) {
            throw new ImageRejectedException(
                    RejectReason.IMAGE_UNDECODABLE,
                    "progressive JPEG with more than " + MAX_SCANS + " scans: each costs a pass over the whole"
                            + " image, encoders write about 10");
        }
    }

    /** The number of scans, counting no further than {@code limit + 1}; stops at EOI or a bad segment. */
    static int count(byte[] jpeg, int limit) {
        int scans = 0;
        int at = 2;
        while (at + 1 < jpeg.length && scans <= limit) {
            if ((jpeg[at] & 0xFF) != 0xFF) {
                return scans; // not a marker: malformed, left to the decoder
            }
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++; // fill byte
                continue;
            }
            if (marker == 0xD9) {
                return scans; // EOI
            }
            if (JpegHeader.isStandalone(marker)) {
                at += 2;
                continue;
            }
            if (at + 4 > jpeg.length) {
                return scans;
            }
            int length = JpegHeader.u16(jpeg, at + 2);
            if (length < 2) {
                return scans;
            }
            at += 2 + length;
            if (marker == 0xDA) {
                scans++;
                at = endOfEntropyCodedData(jpeg, at);
            }
        }
        return scans;
    }

    /** The next marker after entropy-coded data: 0xFF not followed by a stuffed 0x00, RSTn or fill. */
    private static int endOfEntropyCodedData(byte[] jpeg, int from) {
        for (int i = from; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF) {
                int next = jpeg[i + 1] & 0xFF;
                if (next != 0x00 && next != 0xFF && (next < 0xD0 || next > 0xD7)) { // not stuffing, fill or RSTn
                    return i;
                }
            }
        }
        return jpeg.length;
    }
}
