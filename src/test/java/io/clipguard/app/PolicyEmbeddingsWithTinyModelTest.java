package io.clipguard.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationResult;
import io.clipguard.config.ModelConfig;
import io.clipguard.config.PolicyConfig;
import io.clipguard.local.UploadProducer;
import io.clipguard.model.Engine;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.SourceCoordinates;
import io.clipguard.policy.EmbeddingProgress;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyEmbeddings;
import io.clipguard.policy.PolicyException;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precomputed embeddings and few-shot exemplars with the real tiny model. */
class PolicyEmbeddingsWithTinyModelTest {

    private static final Path MODEL_DIR = Path.of("models/tiny-clip");
    private static final ModelConfig MODEL = new ModelConfig(MODEL_DIR, Engine.PYTORCH, 1, 2);
    private static final long MAX_BYTES = 20L * 1024 * 1024;

    @TempDir
    Path dir;

    private Path copyOfDemoPolicy() throws Exception {
        Path file = dir.resolve("tiny-shapes.yaml");
        Files.copy(Path.of("deploy/policies/tiny-shapes.yaml"), file);
        return file;
    }

    private static PolicyConfig requiringPrecomputed(Path file) {
        return new PolicyConfig(file, Optional.empty(), Optional.empty(), true, java.time.Duration.ZERO);
    }

    @Test
    void requirePrecomputedRefusesUntilEmbedPolicyWroteMatchingEmbeddings() throws Exception {
        Path file = copyOfDemoPolicy();
        PolicyException missing = assertThrows(
                PolicyException.class,
                () -> ModelRuntime.open(MODEL, requiringPrecomputed(file), MAX_BYTES, EmbeddingProgress.SILENT));
        assertTrue(missing.getMessage().contains("embed-policy"), missing.getMessage());

        Policy policy = PolicyLoader.load(file);
        float[] computed;
        try (ModelRuntime runtime =
                ModelRuntime.open(MODEL, PolicyConfig.of(file), MAX_BYTES, EmbeddingProgress.SILENT)) {
            runtime.policies().embedder().export(policy).write(PolicyEmbeddings.fileFor(file), policy);
            computed = runtime.policy().labelEmbeddings().get(0);
        }
        assertTrue(Files.exists(dir.resolve("tiny-shapes.embeddings.json")));
        try (ModelRuntime runtime =
                ModelRuntime.open(MODEL, requiringPrecomputed(file), MAX_BYTES, EmbeddingProgress.SILENT)) {
            assertEquals(computed.length, runtime.policy().labelEmbeddings().get(0).length);
            for (int i = 0; i < computed.length; i++) {
                assertEquals(computed[i], runtime.policy().labelEmbeddings().get(0)[i], 1e-6f);
            }
        }

        Files.writeString(file, Files.readString(file).replace("names: [cross]", "names: [cross, plus sign]"));
        PolicyException stale = assertThrows(
                PolicyException.class,
                () -> ModelRuntime.open(MODEL, requiringPrecomputed(file), MAX_BYTES, EmbeddingProgress.SILENT));
        assertTrue(stale.getMessage().contains("[cross]"), "only the edited label is missing: " + stale.getMessage());
    }

    @Test
    void aLabelDefinedByAnExemplarCatchesItsNearDuplicate() throws Exception {
        Path sample = MODEL_DIR.resolve("samples/sample_000.png");
        Files.copy(sample, dir.resolve("known-bad.png"));
        Path file = dir.resolve("exemplars.yaml");
        Files.writeString(
                file,
                """
                id: known-bad
                version: 1
                rule: cosine_margin
                labels:
                  - {id: known_bad, exemplars: [known-bad.png], action: block, threshold: 0.98, queue: hashes}
                  - {id: circle, prompts: [a circle], action: review, threshold: 0.99}
                """);
        try (ModelRuntime runtime =
                ModelRuntime.open(MODEL, PolicyConfig.of(file), MAX_BYTES, EmbeddingProgress.SILENT)) {
            Outcome outcome = runtime.moderator()
                    .moderate(
                            UploadProducer.inline("dup", Files.readAllBytes(sample), "image/png"),
                            new SourceCoordinates("t", 0, 0));
            ModerationResult result = ((Outcome.Scored) outcome).result();
            assertEquals(1.0, result.getLabels().get(0).getScore(), 1e-4);
            assertEquals("block", result.getAction());
            assertEquals("hashes", result.getReviewQueue());
        }
    }
}
