package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.awt.image.BufferedImage;

/**
 * Fuzzes the whole decode path (sniffing, header checks, every route, EXIF) with Jazzer: whatever
 * the bytes, the decoder returns a sane image or an {@link ImageRejectedException}; anything else
 * (another exception, a hang, a crash of the JVM or of OpenCV's native code) is a finding.
 *
 * <p>Under {@code mvn test} this runs in regression mode: once per seed in
 * {@code src/test/resources/io/clipguard/image/DecodeFuzzTestInputs/} (the bad-input corpus, small
 * entries, written by {@link BadInputCorpus#main}) and per finding saved there. To fuzz:
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o test -Dtest=DecodeFuzzTest \
 *     -Djazzer.instrument='io.clipguard.image.**,com.twelvemonkeys.**'
 * </pre>
 *
 * It fuzzes for {@code maxDuration} (raise it for a longer run), keeps its generated corpus in
 * {@code .cifuzz-corpus/} (not in git) and writes crashing inputs into the inputs directory:
 * commit those as regression seeds once fixed.
 */
class DecodeFuzzTest {

    /** Small limits keep the fuzzer's heap bounded; the checks are the same at any size. */
    private static final DecodeLimits LIMITS = new DecodeLimits(1 << 20, 4_000_000);

    private static final RoutingImageDecoder DECODER = RoutingImageDecoder.forModelInput(LIMITS, 224);

    @FuzzTest(maxDuration = "30s")
    void decodesOrRejectsAnyBytes(byte[] bytes) {
        BufferedImage image;
        try {
            image = DECODER.decode(bytes);
        } catch (ImageRejectedException expected) {
            return;
        }
        long pixels = (long) image.getWidth() * image.getHeight();
        assertTrue(pixels > 0 && pixels <= LIMITS.maxPixels(), image.getWidth() + "x" + image.getHeight());
    }
}
