package io.clipguard.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @TempDir
    Path dir;

    @Test
    void loadsEveryValueOfAValidBundle() {
        ModelBundle bundle = ModelBundle.load(FakeBundle.write(dir));

        assertEquals("fake-clip", bundle.modelId());
        assertEquals("0.0.1", bundle.modelVersion());
        assertEquals(8, bundle.embeddingDim());
        assertEquals(27.3, bundle.logitScale());
        assertEquals(
                new ImageSpec(
                        32,
                        "shorter_side",
                        "bicubic",
                        "center",
                        1 / 255.0,
                        List.of(0.48145466, 0.4578275, 0.40821073),
                        List.of(0.26862954, 0.26130258, 0.27577711)),
                bundle.image());
        assertEquals(new TextSpec(77, 1, 2, 0, true), bundle.text());
        assertEquals(dir.resolve("image_encoder.pt"), bundle.imageEncoderFile(Engine.PYTORCH));
        assertEquals(dir.resolve("image_encoder.onnx"), bundle.imageEncoderFile(Engine.ONNXRUNTIME));
        assertEquals(dir.resolve("image_encoder.onnx"), bundle.imageEncoderFile(Engine.TENSORRT));
        assertEquals(dir.resolve("text_encoder.pt"), bundle.textEncoderFile());
        assertEquals(dir.resolve("tokenizer.json"), bundle.tokenizerFile());
    }

    @Test
    void rejectsAMissingDirectory() {
        assertRejected(() -> ModelBundle.load(dir.resolve("nowhere")), "nowhere", "bundle directory not found");
    }

    @Test
    void rejectsAMissingManifest() throws IOException {
        Files.delete(FakeBundle.write(dir).resolve("manifest.json"));
        assertRejected(() -> ModelBundle.load(dir), "manifest.json", "manifest not found");
    }

    @Test
    void rejectsUnparsableJsonWithItsLine() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{\n \"format\": \"clipguard-bundle\",\n oops");
        assertRejected(() -> ModelBundle.load(dir), "manifest.json", "unparsable JSON at line 3");
    }

    @Test
    void rejectsAMissingKeyByName() {
        assertEdit(m -> m.with("image").remove("mean"), "'image.mean' is missing");
        assertEdit(m -> m.remove("embedding_dim"), "'embedding_dim' is missing");
        assertEdit(m -> m.with("text").remove("eos_token_id"), "'text.eos_token_id' is missing");
    }

    @Test
    void rejectsAnInvalidValueByName() {
        assertEdit(m -> m.with("image").put("size", "big"), "'image.size' must be a positive integer");
        assertEdit(m -> m.put("logit_scale", -1), "'logit_scale' must be a positive number");
        assertEdit(m -> m.with("image").putArray("mean").add(0.5), "'image.mean' must be an array of 3");
        assertEdit(m -> m.with("image").putArray("std").add(1).add(0).add(1), "'image.std' must hold positive numbers");
        assertEdit(
                m -> m.with("image").put("interpolation", "bilinear"),
                "'image.interpolation' is 'bilinear', which is not supported; use bicubic");
        assertEdit(m -> m.put("embeddings_normalized", "no"), "'embeddings_normalized' must be true or");
        assertEdit(
                m -> ((ObjectNode) m.withArray("files").get(0)).put("sha256", "abc"),
                "'files[0].sha256' must be 64 hex digits");
    }

    @Test
    void rejectsAnotherFormat() {
        assertEdit(m -> m.put("format", "onnx-zoo"), "'format' is 'onnx-zoo'");
    }

    @Test
    void rejectsAnUnsupportedFormatVersion() {
        assertEdit(m -> m.put("format_version", 2), "'format_version' is 2, which this build cannot");
    }

    @Test
    void rejectsAMissingFile() throws IOException {
        Files.delete(FakeBundle.write(dir).resolve("image_encoder.onnx"));
        assertRejected(
                () -> ModelBundle.load(dir), "image_encoder.onnx: missing", "restore the file or remove its entry");
    }

    @Test
    void rejectsAChecksumMismatch() throws IOException {
        Files.writeString(FakeBundle.write(dir).resolve("text_encoder.pt"), "placeholder text_encoder.pX");
        assertRejected(() -> ModelBundle.load(dir), "text_encoder.pt: sha256 mismatch");
    }

    @Test
    void rejectsASizeMismatch() {
        assertEdit(
                m -> ((ObjectNode) m.withArray("files").get(1)).put("bytes", 1), "text_encoder.pt: size is", "says 1");
    }

    @Test
    void rejectsAPathOutsideTheBundle() {
        assertEdit(
                m -> ((ObjectNode) m.withArray("files").get(1)).put("path", "../secret.pt"),
                "'files[1].path' '../secret.pt' leaves the bundle directory");
    }

    @Test
    void rejectsABundleWithoutImageEncoder() {
        assertEdit(
                m -> {
                    ArrayNode files = m.withArray("files");
                    files.remove(2);
                    files.remove(0);
                },
                "'files' has no image_encoder entry");
    }

    @Test
    void rejectsOutputShapesThatDisagreeWithTheEmbeddingDim() {
        assertEdit(m -> m.put("embedding_dim", 16), "'outputs.image.shape' is [-1, 8] but embedding_dim is 16");
        assertEdit(
                m -> shape(m.with("outputs").with("text"), -1, 4),
                "'outputs.text.shape' is [-1, 4] but embedding_dim is 8");
    }

    @Test
    void rejectsAnInputShapeThatDisagreesWithTheImageSize() {
        assertEdit(
                m -> m.with("image").put("size", 224), "'inputs.image.shape' is [-1, 3, 32, 32] but image.size is 224");
    }

    @Test
    void rejectsATextShapeThatDisagreesWithTheContextLength() {
        assertEdit(
                m -> m.with("text").put("context_length", 64),
                "'inputs.text.shape' is [-1, 77] but text.context_length is 64");
    }

    @Test
    void rejectsAWrongInputType() {
        assertEdit(m -> m.with("inputs").with("text").put("dtype", "int32"), "'inputs.text.dtype' is 'int32'");
    }

    @Test
    void rejectsAnEngineWhoseFormatTheBundleLacks() {
        FakeBundle.write(dir);
        FakeBundle.editManifest(dir, m -> m.withArray("files").remove(2));
        ModelBundle bundle = ModelBundle.load(dir);

        assertRejected(
                () -> bundle.imageEncoderFile(Engine.TENSORRT),
                "manifest.json",
                "no image_encoder file with format 'onnx' for engine=tensorrt");
    }

    @Test
    void rejectsAnUnknownEngineName() {
        assertRejected(
                () -> Engine.parse("tensorflow"),
                "unknown engine 'tensorflow': use one of pytorch, onnxruntime, tensorrt");
    }

    @Test
    void parsesEngineNamesIgnoringCase() {
        assertEquals(Engine.ONNXRUNTIME, Engine.parse(" OnnxRuntime"));
        assertEquals(Engine.PYTORCH, Engine.parse("pytorch"));
    }

    private void assertEdit(Consumer<ObjectNode> edit, String... fragments) {
        FakeBundle.write(dir);
        FakeBundle.editManifest(dir, edit);
        assertRejected(() -> ModelBundle.load(dir), fragments);
    }

    private static void shape(ObjectNode tensor, long... dims) {
        ArrayNode shape = tensor.putArray("shape");
        for (long dim : dims) {
            shape.add(dim);
        }
    }

    private static void assertRejected(Runnable action, String... fragments) {
        BundleException e = assertThrows(BundleException.class, action::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + fragment + "' not in: " + e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }
}
