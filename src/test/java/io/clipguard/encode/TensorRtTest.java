package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs only on a host with a GPU and TensorRT 8.4 (DJL's TensorRT engine); skipped elsewhere. */
class TensorRtTest {

    /** TensorRT may pick TF32 kernels on Ampere and newer GPUs. */
    static final double TENSORRT_TOLERANCE = 1e-3;

    @Test
    void tensorRtMatchesPyTorchOnTheOnnxFile() {
        ModelBundle bundle = TinyClip.bundle();
        ImageEncoder tensorRt;
        try {
            tensorRt = Encoders.image(bundle, Engine.TENSORRT, 1, 0);
        } catch (EngineUnavailableException e) {
            abort("skipped: " + e.getMessage());
            return;
        }
        List<float[]> pixels = TinyClip.samples(bundle).stream()
                .limit(4)
                .map(s -> TinyClip.pixels(bundle, s.file()))
                .toList();
        try (ImageEncoder pytorch = Encoders.image(bundle);
                tensorRt) {
            float[][] expected = pytorch.encode(pixels);
            float[][] actual = tensorRt.encode(pixels);
            for (int i = 0; i < pixels.size(); i++) {
                assertTrue(TinyClip.maxAbsDiff(expected[i], actual[i]) < TENSORRT_TOLERANCE, "sample " + i);
            }
        }
    }

    @Test
    void saysWhatToDoWhenTensorRtIsMissing() {
        try (ImageEncoder encoder = Encoders.image(TinyClip.bundle(), Engine.TENSORRT, 1, 0)) {
            abort("TensorRT is available on this host");
        } catch (EngineUnavailableException e) {
            assertTrue(e.getMessage().startsWith("TensorRT engine unavailable on this host: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; use engine=pytorch"), e.getMessage());
        }
    }
}
