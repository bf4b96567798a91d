package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.model.BundleException;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncodersTest {

    @Test
    void rejectsABundleWhoseModelDisagreesWithItsEmbeddingDim(@TempDir Path dir) throws IOException {
        copyBundle(TinyClip.bundle().dir(), dir);
        String manifest = Files.readString(dir.resolve("manifest.json"));
        Files.writeString(
                dir.resolve("manifest.json"),
                manifest.replaceAll("\"embedding_dim\"\\s*:\\s*64", "\"embedding_dim\": 32")
                        .replaceAll("(\"shape\"\\s*:\\s*\\[\\s*-1,\\s*)64(\\s*\\])", "$132$2"));
        ModelBundle wrong = ModelBundle.load(dir);

        BundleException e = assertThrows(BundleException.class, () -> Encoders.image(wrong));
        assertTrue(e.getMessage().contains("returns embeddings of length 64 but"), e.getMessage());
        assertTrue(e.getMessage().contains("embedding_dim=32"), e.getMessage());
    }

    @Test
    void rejectsPixelsOfTheWrongLength() {
        try (ImageEncoder encoder = Encoders.image(TinyClip.bundle())) {
            assertThrows(IllegalArgumentException.class, () -> encoder.encode(List.of(new float[10])));
        }
    }

    @Test
    void encodesAnEmptyBatchToNothing() {
        try (ImageEncoder encoder = Encoders.image(TinyClip.bundle(), Engine.ONNXRUNTIME, 1, 1)) {
            assertEquals(0, encoder.encode(List.of()).length);
            assertEquals(64, encoder.embeddingDim());
        }
    }

    @Test
    void refusesWorkAfterClose() {
        ImageEncoder images = Encoders.image(TinyClip.bundle());
        TextEncoder texts = Encoders.text(TinyClip.bundle());
        images.close();
        texts.close();

        assertThrows(IllegalStateException.class, () -> images.encode(List.of(new float[3 * 224 * 224])));
        assertThrows(IllegalStateException.class, () -> texts.encode(List.of("a red star")));
        images.close();
    }

    @Test
    void setsDjlOfflineAndOptsOutOfTracking() {
        // the build presets both for the whole test JVM: take them away, so that only the code path can
        // set them again (no DJL call runs in between: tests run one at a time)
        System.clearProperty("ai.djl.offline");
        System.clearProperty("OPT_OUT_TRACKING");
        try {
            Encoders.text(TinyClip.bundle()).close();

            assertEquals("true", System.getProperty("ai.djl.offline"));
            assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
        } finally {
            System.setProperty("ai.djl.offline", "true");
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    private static void copyBundle(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
