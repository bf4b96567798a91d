package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures the reduced JPEG route against a full decode on real photographs: decode time, and the
 * mean absolute difference of the 224 px image the model sees. Photographs are not committed; take
 * them from a Debian package at run time:
 *
 * <pre>
 * apt-get download mate-backgrounds &amp;&amp; dpkg -x mate-backgrounds_*.deb /tmp/photos
 * mvn -o test -Dtest=ReducedJpegFidelityCheck -Dclipguard.photos=/tmp/photos/usr/share/backgrounds/mate
 * </pre>
 */
@EnabledIfSystemProperty(
        named = "clipguard.photos",
        matches = ".+",
        disabledReason = "set -Dclipguard.photos=DIR (JPEG photographs, see the javadoc)")
class ReducedJpegFidelityCheck {

    private static final int MODEL_PX = 224;
    private static final int RUNS = 5;
    private static final ClipPreprocessor CLIP = ClipPreprocessor.from(ClipPreprocessorTest.CLIP);

    @Test
    void reducedDecodeStaysWithinOneGreyLevelOfAFullDecode() throws IOException {
        List<Path> photos;
        try (Stream<Path> files = Files.walk(Path.of(System.getProperty("clipguard.photos")))) {
            photos = files.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".jpg"))
                    .sorted()
                    .toList();
        }
        DecodeLimits limits = new DecodeLimits(64L << 20, 200_000_000L);
        RoutingImageDecoder reduced = RoutingImageDecoder.forModelInput(limits, MODEL_PX);
        System.out.printf(
                "%-26s %5s %5s %4s %8s %8s %8s %8s %6s %4s   %s%n",
                "photo",
                "MP",
                "MB",
                "1/n",
                "jdk",
                "reduced",
                "jdk+clip",
                "red+clip",
                "diff",
                "max",
                "diff at 1/2 1/4 1/8");
        double worst = 0;
        for (Path photo : photos) {
            byte[] bytes = Files.readAllBytes(photo);
            BufferedImage jdk = ImageIO.read(new ByteArrayInputStream(bytes));
            RgbImage reference = CLIP.modelImage(jdk);
            double[] diff = difference(reference, CLIP.modelImage(reduced.decode(bytes)));
            worst = Math.max(worst, diff[0]);
            StringBuilder perScale = new StringBuilder();
            for (int scale = 2; scale <= 8; scale *= 2) {
                double[] d = difference(reference, CLIP.modelImage(OpenCvDecoder.decodeJpeg(bytes, scale)));
                perScale.append(String.format(Locale.ROOT, " %.3f", d[0]));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-26s %5.1f %5.2f %4d %8.1f %8.1f %8.1f %8.1f %6.3f %4.0f  %s%n",
                    photo.getFileName(),
                    jdk.getWidth() * (double) jdk.getHeight() / 1e6,
                    bytes.length / 1e6,
                    OpenCvDecoder.scaleFor(jdk.getWidth(), jdk.getHeight(), 2 * MODEL_PX),
                    millis(() -> ImageIO.read(new ByteArrayInputStream(bytes))),
                    millis(() -> reduced.decode(bytes)),
                    millis(() -> CLIP.modelImage(ImageIO.read(new ByteArrayInputStream(bytes)))),
                    millis(() -> CLIP.modelImage(reduced.decode(bytes))),
                    diff[0],
                    diff[1],
                    perScale);
        }
        assertTrue(worst < 1.0, "worst mean difference " + worst); // README: 0.08 to 0.96 on Debian's photos
    }

    private static double[] difference(RgbImage a, RgbImage b) {
        byte[] x = a.rgb();
        byte[] y = b.rgb();
        long sum = 0;
        int max = 0;
        for (int i = 0; i < x.length; i++) {
            int d = Math.abs((x[i] & 0xFF) - (y[i] & 0xFF));
            sum += d;
            max = Math.max(max, d);
        }
        return new double[] {(double) sum / x.length, max};
    }

    private interface Work {
        Object run() throws IOException;
    }

    /** Median of {@link #RUNS} timed runs after one warm-up. */
    private static double millis(Work work) throws IOException {
        work.run();
        double[] times = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[RUNS / 2];
    }
}
