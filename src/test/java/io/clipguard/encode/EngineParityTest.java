package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ONNX file (the TensorRT input) computes what the TorchScript file computes: ONNX Runtime
 * and PyTorch give the same embeddings for the same pre-processed samples. Also checks that
 * batching and concurrent use of the pool do not change results.
 */
class EngineParityTest {

    /** Max absolute difference between unit-length embeddings from the two engines. */
    static final double ENGINE_TOLERANCE = 1e-4;
    /** Batched vs one at a time, same engine: only kernel choice may differ. */
    static final double BATCH_TOLERANCE = 1e-5;

    private static ImageEncoder pytorch;
    private static ImageEncoder onnx;
    private static List<float[]> pixels;

    @BeforeAll
    static void load() {
        ModelBundle bundle = TinyClip.bundle();
        pytorch = Encoders.image(bundle, Engine.PYTORCH, 2, 1);
        onnx = Encoders.image(bundle, Engine.ONNXRUNTIME, 1, 2);
        pixels = TinyClip.samples(bundle).stream()
                .map(s -> TinyClip.pixels(bundle, s.file()))
                .toList();
    }

    @AfterAll
    static void close() {
        pytorch.close();
        onnx.close();
    }

    @Test
    void onnxRuntimeMatchesPyTorch() {
        float[][] fromTorch = pytorch.encode(pixels);
        float[][] fromOnnx = onnx.encode(pixels);
        double max = 0;
        for (int i = 0; i < pixels.size(); i++) {
            max = Math.max(max, TinyClip.maxAbsDiff(fromTorch[i], fromOnnx[i]));
        }
        System.out.printf(
                "ONNX Runtime vs PyTorch on %d samples: max |diff| = %.2e (unit vectors)%n", pixels.size(), max);
        assertTrue(max < ENGINE_TOLERANCE, "max diff " + max);
    }

    @Test
    void returnsUnitVectorsOfTheBundlesDimension() {
        for (float[] embedding : onnx.encode(pixels.subList(0, 2))) {
            assertEquals(64, embedding.length);
            assertEquals(1.0, TinyClip.dot(embedding, embedding), 1e-5);
        }
    }

    @Test
    void batchingDoesNotChangeEmbeddings() {
        List<float[]> some = pixels.subList(0, 6);
        float[][] batched = pytorch.encode(some);
        for (int i = 0; i < some.size(); i++) {
            float[] alone = pytorch.encode(List.of(some.get(i)))[0];
            assertTrue(TinyClip.maxAbsDiff(batched[i], alone) < BATCH_TOLERANCE, "sample " + i);
        }
    }

    @Test
    void concurrentCallersGetTheSameEmbeddings() throws Exception {
        List<float[]> some = pixels.subList(0, 8);
        float[][] expected = pytorch.encode(some);
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[][]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(callers.submit(() -> pytorch.encode(some)));
            }
            for (Future<float[][]> result : results) {
                float[][] actual = result.get();
                for (int i = 0; i < expected.length; i++) {
                    assertTrue(TinyClip.maxAbsDiff(expected[i], actual[i]) < BATCH_TOLERANCE);
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
