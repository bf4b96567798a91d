package io.clipguard.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.policy.ImageEmbedder;
import io.clipguard.policy.PolicyEmbedder;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileWatcherTest {

    private static final String V1 =
            """
            id: p
            version: 1
            labels: [{id: red, prompts: [red], action: block, threshold: 0.5}]
            """;

    @TempDir
    Path dir;

    @Test
    void anEditedFileTakesEffectAndABrokenEditIsRejected() throws Exception {
        Path file = dir.resolve("p.yaml");
        Files.writeString(file, V1);
        PolicyEmbedder embedder = new PolicyEmbedder("m", 10f, prompts -> new float[][] {{1, 0}}, ImageEmbedder.NONE);
        PolicyHolder holder = new PolicyHolder(embedder.embed(PolicyLoader.load(file)), embedder, dir);
        try (PolicyFileWatcher watcher = PolicyFileWatcher.start(Duration.ofMillis(20), Map.of(file, holder))) {
            write(file, V1.replace("version: 1", "version: 2").replace("0.5", "0.9"), 1);
            await(() -> holder.get().policy().version().equals("2"));
            assertEquals(0.9, holder.get().policy().labels().get(0).threshold());

            write(file, "labels: [", 2);
            await(() -> holder.rejectedCount() == 1);
            assertEquals("2", holder.get().policy().version());
        }
    }

    private static void write(Path file, String text, int second) throws Exception {
        Files.writeString(file, text);
        // a distinct modification time even on file systems with coarse timestamps
        Files.setLastModifiedTime(
                file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(second)));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out");
            Thread.sleep(10);
        }
    }
}
