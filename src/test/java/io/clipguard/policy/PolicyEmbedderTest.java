package io.clipguard.policy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEmbedderTest {

    private static final String POLICY =
            """
            id: p
            version: 1
            templates: ["a {}", "the {}"]
            labels:
              - {id: red, names: [red], action: block, threshold: 0.5}
              - {id: blue, names: [blue], action: allow, threshold: 0.5}
            """;

    @TempDir
    Path dir;

    private final List<String> embedded = new ArrayList<>();

    private final TextEmbedder text = prompts -> {
        embedded.addAll(prompts);
        return prompts.stream()
                .map(p -> p.contains("red") ? new float[] {1, 0} : new float[] {0, 1})
                .toArray(float[][]::new);
    };

    @Test
    void aThresholdEditEmbedsNothingNew() {
        PolicyEmbedder embedder = new PolicyEmbedder("m", 10f, text, ImageEmbedder.NONE);
        embedder.embed(PolicyLoader.parse(POLICY, "v1"));
        assertEquals(4, embedded.size());
        EmbeddedPolicy v2 = embedder.embed(PolicyLoader.parse(
                POLICY.replace("version: 1", "version: 2").replace("block, threshold: 0.5", "block, threshold: 0.7"),
                "v2"));
        assertEquals(4, embedded.size(), "nothing re-embedded");
        assertEquals(0.7, v2.policy().labels().get(0).threshold());
        assertArrayEquals(new float[] {1, 0}, v2.labelEmbeddings().get(0));
    }

    @Test
    void precomputedEmbeddingsAreUsedWhenTheirKeyMatches() throws Exception {
        Policy policy = PolicyLoader.parse(POLICY, "p");
        PolicyEmbedder first = new PolicyEmbedder("m", 10f, text, ImageEmbedder.NONE);
        first.embed(policy);
        Path file = dir.resolve("p.embeddings.json");
        first.export(policy).write(file, policy);
        embedded.clear();

        PolicyEmbeddings read = PolicyEmbeddings.read(file);
        assertEquals(EmbeddingKey.of("m", policy), read.key());
        PolicyEmbedder second = new PolicyEmbedder("m", 10f, text, ImageEmbedder.NONE);
        assertEquals(2, second.remember(read));
        assertEquals(List.of(), second.missing(policy));
        assertArrayEquals(
                new float[] {0, 1}, second.embed(policy).labelEmbeddings().get(1));
        assertEquals(List.of(), embedded);

        PolicyEmbedder otherModel = new PolicyEmbedder("other", 10f, text, ImageEmbedder.NONE);
        assertEquals(0, otherModel.remember(read));
        assertEquals(2, otherModel.missing(policy).size());
    }

    @Test
    void exemplarOnlyLabelUsesTheExemplarsMeanAsReference() throws Exception {
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Files.write(dir.resolve("b.png"), new byte[] {2});
        Policy policy = PolicyLoader.parse(
                """
                id: p
                version: 1
                labels: [{id: logo, exemplars: [a.png, b.png], action: block, threshold: 0.5}]
                """,
                "p",
                dir);
        ImageEmbedder images = files -> new float[][] {{1, 0}, {0, 1}};
        AtomicInteger progressCalls = new AtomicInteger();
        EmbeddedPolicy embedded = new PolicyEmbedder("m", 10f, text, images)
                .embed(policy, (done, total) -> assertEquals(2, total + progressCalls.incrementAndGet() - 1));
        float half = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {half, half}, embedded.labelEmbeddings().get(0), 1e-6f);
        assertEquals(2, embedded.exemplarEmbeddings().get(0).size());
        assertEquals(1, progressCalls.get());
    }

    @Test
    void exemplarsWithoutAnImageEncoderAreRefused() throws Exception {
        Files.write(dir.resolve("a.png"), new byte[] {1});
        Policy policy = PolicyLoader.parse(
                """
                id: p
                version: 1
                labels: [{id: logo, exemplars: [a.png], action: block, threshold: 0.5}]
                """,
                "p",
                dir);
        assertThrows(PolicyException.class, () -> new PolicyEmbedder("m", 10f, text, ImageEmbedder.NONE).embed(policy));
    }
}
