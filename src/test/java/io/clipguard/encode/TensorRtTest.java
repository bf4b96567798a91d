package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import io.clipguard.config.TensorRtConfig;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * engine=tensorrt, through ONNX Runtime's TensorRT provider. Where that provider is missing (every CPU
 * build, this machine included) it must fail at once with one line that says what is missing; where
 * it is there, FP16 embeddings must match PyTorch's within the tolerance FP16 was measured to need.
 */
class TensorRtTest {

    /**
     * FP16 against FP32 on the lent H200 (deploy/bench/GPU-RESULTS.md): embedding cosine at least
     * 0.9999991, so unit embeddings differ by at most about 1.4e-3 per coordinate; 5e-3 leaves room
     * for TensorRT's own kernel choices.
     */
    static final double FP16_TOLERANCE = 5e-3;

    @TempDir
    Path cache;

    @Test
    void tensorRtInFp16MatchesPyTorchOnTheOnnxFile() {
        ModelBundle bundle = TinyClip.bundle();
        ImageEncoder tensorRt;
        try {
            tensorRt = Encoders.image(bundle, Engine.TENSORRT, 1, 0, new TensorRtConfig(cache, true, 1L << 30, 0, 4));
        } catch (EngineUnavailableException e) {
            abort("skipped: needs a GPU host with ONNX Runtime's TensorRT provider: " + e.getMessage());
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
                assertTrue(TinyClip.maxAbsDiff(expected[i], actual[i]) < FP16_TOLERANCE, "sample " + i);
            }
        }
    }

    @Test
    void saysInOneLineWhatIsMissingOnAHostWithoutIt() {
        EngineUnavailableException e;
        try {
            e = assertThrows(EngineUnavailableException.class, () -> Encoders.image(
                            TinyClip.bundle(), Engine.TENSORRT, 1, 0, new TensorRtConfig(cache, true, 1L << 30, 0, 4))
                    .close());
        } catch (org.opentest4j.AssertionFailedError notThrown) {
            abort("ONNX Runtime's TensorRT provider is available on this host");
            return;
        }
        assertTrue(e.getMessage().startsWith(OrtTensorRtImageEncoder.MISSING), e.getMessage());
        assertTrue(e.getMessage().contains("onnxruntime_gpu"), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }
}
