package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.IntVector;
import org.junit.jupiter.api.Test;

/**
 * The Vector API resampler gives the scalar one's bytes, which match Pillow's
 * ({@code ClipPreprocessorTest}), on downscales, upscales, odd sizes and regions at the edges, for
 * every vector width: this JVM's widest, and 4 and 8 lanes (1 and 2 rows per vector) in JVMs
 * started with a smaller {@code MaxVectorSize}.
 */
class ResamplerEquivalenceTest {

    private static final int[][] CASES = {
        {1280, 800, 358, 224}, // a 2560x1600 photograph decoded at 1/2
        {960, 600, 358, 224},
        {600, 960, 224, 358},
        {225, 300, 224, 298},
        {3, 2, 224, 149}, // upscale
        {100, 100, 224, 224},
        {4000, 37, 2000, 18},
        {17, 5000, 9, 2600},
    };

    @Test
    void theTestsRunTheVectorPath() {
        assertTrue(ResizeAndCrop.SIMD, "surefire runs with --add-modules jdk.incubator.vector (pom.xml argLine)");
    }

    @Test
    void sameBytesAsTheScalarResamplerAtThisJvmsVectorWidth() {
        assertEquals(List.of(), mismatches());
    }

    @Test
    void sameBytesAtFourAndEightLanes() throws IOException, InterruptedException {
        for (int bytes : new int[] {16, 32}) {
            Process check = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString(),
                            "--add-modules=jdk.incubator.vector",
                            "-XX:MaxVectorSize=" + bytes,
                            "-cp",
                            System.getProperty("java.class.path"),
                            ResamplerEquivalenceTest.class.getName())
                    .redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes());
            assertTrue(check.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, check.exitValue(), "MaxVectorSize=" + bytes + ": " + output);
            assertTrue(output.contains("lanes " + bytes / 4 + ", no mismatch"), output);
        }
    }

    @Test
    void reusedScratchDoesNotLeakFromOneImageIntoTheNext() {
        Random random = new Random(5);
        RgbImage large = noise(1280, 800, random);
        RgbImage small = noise(500, 300, random);
        RgbImage expected = BicubicResampler.resizeRegion(small, 373, 224, 74, 0, 224, 224);
        SimdResampler.resizeRegion(large, 358, 224, 67, 0, 224, 224);
        assertArrayEquals(
                expected.rgb(),
                SimdResampler.resizeRegion(small, 373, 224, 74, 0, 224, 224).rgb());
    }

    /** Run in a JVM of another vector width by {@link #sameBytesAtFourAndEightLanes}. */
    public static void main(String[] args) {
        List<String> mismatches = mismatches();
        System.out.println("lanes " + IntVector.SPECIES_PREFERRED.length() + ", "
                + (mismatches.isEmpty() ? "no mismatch" : mismatches));
        System.exit(mismatches.isEmpty() ? 0 : 1);
    }

    /** Every case and region where the two resamplers differ. */
    private static List<String> mismatches() {
        Random random = new Random(11);
        List<String> found = new ArrayList<>();
        for (int[] c : CASES) {
            RgbImage in = noise(c[0], c[1], random);
            int outWidth = c[2];
            int outHeight = c[3];
            int crop = Math.min(224, outWidth);
            int[][] regions = {
                {0, 0, outWidth, outHeight},
                {CenterCrop.offset(outWidth, crop), 0, crop, outHeight},
                {outWidth - 1, outHeight - 1, 1, 1},
                {random.nextInt(outWidth / 2 + 1), random.nextInt(outHeight / 2 + 1), outWidth / 2, outHeight / 2},
            };
            for (int[] r : regions) {
                if (r[2] < 1 || r[3] < 1) {
                    continue;
                }
                byte[] expected = BicubicResampler.resizeRegion(in, outWidth, outHeight, r[0], r[1], r[2], r[3])
                        .rgb();
                byte[] actual = SimdResampler.resizeRegion(in, outWidth, outHeight, r[0], r[1], r[2], r[3])
                        .rgb();
                if (!Arrays.equals(expected, actual)) {
                    found.add(
                            c[0] + "x" + c[1] + " -> " + outWidth + "x" + outHeight + " region " + Arrays.toString(r));
                }
            }
        }
        return found;
    }

    private static RgbImage noise(int width, int height, Random random) {
        byte[] rgb = new byte[3 * width * height];
        random.nextBytes(rgb);
        return new RgbImage(width, height, rgb);
    }
}
