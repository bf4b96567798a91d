package io.clipguard.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipguard.model.ImageSpec;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compares with Pillow: {@code src/test/python/make_preprocess_golden.py} wrote each test image's
 * 224x224 crop as Pillow computes it, and the normalised values at fixed indices.
 */
class ClipPreprocessorTest {

    static final ImageSpec CLIP = new ImageSpec(
            224,
            "shorter_side",
            "bicubic",
            "center",
            1 / 255.0,
            List.of(0.48145466, 0.4578275, 0.40821073),
            List.of(0.26862954, 0.26130258, 0.27577711));

    /** Tolerance on the 8-bit crop: mean absolute difference from Pillow, in grey levels. */
    static final double MAX_MEAN_ABS_DIFF_GREY_LEVELS = 0.5;

    private static JsonNode golden;
    private final ClipPreprocessor preprocessor = ClipPreprocessor.from(CLIP);

    @BeforeAll
    static void readGolden() throws IOException {
        try (InputStream in = resource("golden.json")) {
            golden = new ObjectMapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb_398x300.png", "rgba_150x260.png", "grey_517x680.png"})
    void cropMatchesPillowWithinHalfAGreyLevel(String name) throws IOException {
        RgbImage actual = preprocessor.modelImage(image(name));
        RgbImage expected =
                Rgb8Reader.read(image(golden.at("/images/" + name + "/crop").asText()));

        double meanAbsDiff = meanAbsDiff(actual, expected);
        System.out.printf(
                "%s: mean |java - pillow| = %.4f grey levels, max = %d%n",
                name, meanAbsDiff, maxAbsDiff(actual, expected));
        assertTrue(meanAbsDiff < MAX_MEAN_ABS_DIFF_GREY_LEVELS, name + ": " + meanAbsDiff);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb_398x300.png", "rgba_150x260.png", "grey_517x680.png"})
    void normalisedValuesMatchPillowAndTorch(String name) throws IOException {
        float[] chw = preprocessor.apply(image(name));
        JsonNode expected = golden.at("/images/" + name);

        assertEquals(3 * 224 * 224, chw.length);
        for (int i = 0; i < golden.get("indices").size(); i++) {
            int index = golden.get("indices").get(i).asInt();
            assertEquals(expected.get("values").get(i).asDouble(), chw[index], 1e-5, "index " + index);
        }
        for (int c = 0; c < 3; c++) {
            assertEquals(expected.get("channel_means").get(c).asDouble(), channelMean(chw, c), 1e-4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rgb_398x300.jpg"})
    void jpegThroughImageIoStaysCloseToPillowsDecoder(String name) throws IOException {
        RgbImage actual = preprocessor.modelImage(image(name));
        RgbImage expected =
                Rgb8Reader.read(image(golden.at("/images/" + name + "/crop").asText()));

        double meanAbsDiff = meanAbsDiff(actual, expected);
        System.out.printf(
                "%s (ImageIO vs Pillow decoder): mean |diff| = %.4f grey levels, max = %d%n",
                name, meanAbsDiff, maxAbsDiff(actual, expected));
        assertTrue(meanAbsDiff < 1.0, name + ": " + meanAbsDiff);
    }

    static BufferedImage image(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return ImageIO.read(in);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ClipPreprocessorTest.class.getResourceAsStream("/image/" + name);
        if (in == null) {
            throw new IllegalStateException("missing test resource image/" + name);
        }
        return in;
    }

    static double meanAbsDiff(RgbImage a, RgbImage b) {
        assertEquals(a.widthPx(), b.widthPx());
        assertEquals(a.heightPx(), b.heightPx());
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF));
        }
        return (double) sum / a.rgb().length;
    }

    static int maxAbsDiff(RgbImage a, RgbImage b) {
        int max = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            max = Math.max(max, Math.abs((a.rgb()[i] & 0xFF) - (b.rgb()[i] & 0xFF)));
        }
        return max;
    }

    private static double channelMean(float[] chw, int channel) {
        int plane = chw.length / 3;
        double sum = 0;
        for (int p = 0; p < plane; p++) {
            sum += chw[channel * plane + p];
        }
        return sum / plane;
    }
}
