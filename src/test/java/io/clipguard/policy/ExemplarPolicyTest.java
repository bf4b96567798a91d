package io.clipguard.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExemplarPolicyTest {

    @TempDir
    Path dir;

    private Path policyFile(String labelYaml) throws Exception {
        Files.createDirectories(dir.resolve("examples"));
        Files.write(dir.resolve("examples/logo.png"), new byte[] {1, 2, 3});
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, "id: p\nversion: 1\nrule: cosine_margin\nlabels:\n" + labelYaml);
        return file;
    }

    @Test
    void exemplarsAloneDefineALabelAndResolveAgainstThePolicyFile() throws Exception {
        Policy policy = PolicyLoader.load(
                policyFile("  - {id: logo, exemplars: [examples/logo.png], action: block, threshold: 0.9}\n"));
        Label logo = policy.labels().get(0);
        assertEquals(List.of(), logo.prompts());
        assertEquals(List.of(dir.resolve("examples/logo.png").toAbsolutePath().normalize()), logo.exemplars());
    }

    @Test
    void exemplars_missingFileNamesLabelAndField() throws Exception {
        Path file = policyFile("  - {id: logo, exemplars: [examples/gone.png], action: block, threshold: 0.9}\n");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(file));
        assertTrue(e.getMessage().contains("label 'logo': exemplars: image"), e.getMessage());
        assertTrue(e.getMessage().contains("gone.png"), e.getMessage());
    }

    @Test
    void exemplars_notAListIsRefused() throws Exception {
        Path file = policyFile("  - {id: logo, exemplars: examples/logo.png, action: block, threshold: 0.9}\n");
        PolicyException e = assertThrows(PolicyException.class, () -> PolicyLoader.load(file));
        assertTrue(e.getMessage().contains("label 'logo': exemplars must be a list"), e.getMessage());
    }

    @Test
    void temperature_defaultsToOneAndMustBePositive() {
        String yaml = "id: p\nversion: 1\nlabels: [{id: a, prompts: [x], action: review, threshold: 0.5}]\n";
        assertEquals(1.0, PolicyLoader.parse(yaml, "p.yaml").temperature());
        assertEquals(
                2.5, PolicyLoader.parse("temperature: 2.5\n" + yaml, "p.yaml").temperature());
        PolicyException e =
                assertThrows(PolicyException.class, () -> PolicyLoader.parse("temperature: 0\n" + yaml, "p.yaml"));
        assertTrue(e.getMessage().contains("temperature must be a positive number"), e.getMessage());
    }

    @Test
    void embeddingKeyIgnoresThresholdsButNotPromptsOrExemplarContent() throws Exception {
        Path file = policyFile("  - {id: logo, prompts: [a logo], exemplars: [examples/logo.png], action: block,"
                + " threshold: 0.9}\n");
        Label label = PolicyLoader.load(file).labels().get(0);
        String key = EmbeddingKey.of("m", label);
        assertEquals(key, EmbeddingKey.of("m", label.withThreshold(0.1)));
        assertTrue(!key.equals(EmbeddingKey.of("other-model", label)));
        Files.write(dir.resolve("examples/logo.png"), new byte[] {9});
        assertTrue(!key.equals(EmbeddingKey.of("m", label)), "a changed exemplar image changes the key");
    }
}
