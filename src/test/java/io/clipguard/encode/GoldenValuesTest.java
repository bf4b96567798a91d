package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Java (DJL, libtorch 2.5.1, Java pre-processing) against the reference values that the Python
 * training script wrote into {@code golden.json} (torch 1.13, Pillow). Embeddings are compared
 * L2-normalised, on the 8 leading components golden.json keeps.
 */
class GoldenValuesTest {

    /** Same token ids into the same TorchScript: only float summation order may differ. */
    static final double TEXT_TOLERANCE = 1e-5;
    /**
     * Same decoder output (ImageIO and Pillow both use libjpeg-turbo), same 8-bit crop (the Java
     * resampler is Pillow's, bit for bit), same TorchScript: only float rounding may differ.
     */
    static final double IMAGE_TOLERANCE = 1e-5;
    /** Pixel values at golden.json's probes (rounded to 6 decimals there) and channel means. */
    static final double PIXEL_TOLERANCE = 1e-5;

    private static ModelBundle bundle;
    private static ImageEncoder images;
    private static DjlTextEncoder texts;
    private static JsonNode golden;

    @BeforeAll
    static void load() {
        bundle = TinyClip.bundle();
        golden = TinyClip.golden(bundle);
        images = Encoders.image(bundle, Engine.PYTORCH, 1, 2);
        texts = (DjlTextEncoder) Encoders.text(bundle);
    }

    @AfterAll
    static void close() {
        images.close();
        texts.close();
    }

    @Test
    void tokenIdsMatchPythonExactly() {
        for (JsonNode text : golden.get("texts")) {
            long[] expected = StreamSupport.stream(text.get("input_ids").spliterator(), false)
                    .mapToLong(JsonNode::asLong)
                    .toArray();
            assertArrayEquals(expected, texts.tokenIds(text.get("text").asText()), text.toString());
        }
    }

    @Test
    void textEmbeddingsMatchPython() {
        for (JsonNode text : golden.get("texts")) {
            float[] actual = texts.encode(List.of(text.get("text").asText()))[0];
            double diff = leadingDiff(actual, text.get("text_embeds_first8"), text.get("text_embeds_norm"));
            System.out.printf(
                    "golden text '%s': max |java - python| = %.2e (normalised)%n",
                    text.get("text").asText(), diff);
            assertTrue(diff < TEXT_TOLERANCE, text.get("text") + ": " + diff);
        }
    }

    @Test
    void imageEmbeddingsMatchPython() {
        for (JsonNode image : golden.get("images")) {
            String file = image.get("file").asText();
            float[] actual = images.encode(List.of(TinyClip.pixels(bundle, file)))[0];
            double diff = leadingDiff(actual, image.get("image_embeds_first8"), image.get("image_embeds_norm"));
            System.out.printf("golden image %s: max |java - python| = %.2e (normalised)%n", file, diff);
            assertTrue(diff < IMAGE_TOLERANCE, file + ": " + diff);
        }
    }

    @Test
    void pixelValuesMatchPython() {
        for (JsonNode image : golden.get("images")) {
            String file = image.get("file").asText();
            float[] chw = TinyClip.pixels(bundle, file);
            int plane = chw.length / 3;
            for (int c = 0; c < 3; c++) {
                double mean = 0;
                for (int p = 0; p < plane; p++) {
                    mean += chw[c * plane + p] / (double) plane;
                }
                assertEquals(
                        image.get("pixel_values_channel_mean").get(c).asDouble(),
                        mean,
                        PIXEL_TOLERANCE,
                        file + " channel " + c);
            }
            for (JsonNode probe : image.get("pixel_values_probe")) {
                int at = probe.get(0).asInt() * plane
                        + probe.get(1).asInt() * 224
                        + probe.get(2).asInt();
                assertEquals(probe.get(3).asDouble(), chw[at], PIXEL_TOLERANCE, file + " " + probe);
            }
        }
    }

    private static double leadingDiff(float[] actual, JsonNode first8, JsonNode norm) {
        double max = 0;
        for (int i = 0; i < first8.size(); i++) {
            max = Math.max(max, Math.abs(actual[i] - first8.get(i).asDouble() / norm.asDouble()));
        }
        return max;
    }
}
