package io.clipguard.topics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicSpecsTest {

    private static final Map<String, String> NAMES = Map.of("uploads", "images", "dlq", "images.dlq");

    @TempDir
    Path dir;

    @Test
    void theShippedFileReadsWithNamesFromTheConfigAndSkipsRolesWithoutOne() {
        List<TopicSpec> specs = TopicSpecs.load(Path.of("deploy/kubernetes/base/topics.yaml"), NAMES);
        assertEquals(
                List.of("images", "images.dlq"),
                specs.stream().map(TopicSpec::name).toList());
        TopicSpec uploads = specs.get(0);
        assertEquals(12, uploads.partitions());
        assertEquals(3, uploads.replicationFactor());
        assertEquals("22020096", uploads.configs().get("max.message.bytes"));
        assertEquals("2", uploads.configs().get("min.insync.replicas"));
    }

    @Test
    void topicsFile_invalid() throws Exception {
        for (String yaml : List.of(
                "uploads: {partitions: 12.5, replication-factor: 3}",
                "uploads: {partitions: \"12\", replication-factor: 3}",
                "uploads: {partitions: 12, replication-factor: 40000}",
                "uploads: {partitions: 0, replication-factor: 3}",
                "uploads: {partitions: 12, replication-factor: 3, configs: {cleanup.policy: [compact, delete]}}",
                "uploads: {partitions: 12, replication-factor: 3, configs: {retention.ms: null}}",
                "uploads: {partitions: 12, replication-factor: 3, retention: 1}",
                "upload: {partitions: 12, replication-factor: 3}")) {
            Path file = dir.resolve("topics.yaml");
            Files.writeString(file, yaml);
            ConfigException e = assertThrows(ConfigException.class, () -> TopicSpecs.load(file, NAMES), yaml);
            assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        }
    }
}
