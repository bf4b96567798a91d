package io.clipguard.local;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalSchemaRegistryTest {
    @Test
    void missingRunnerJarSaysHowToGetIt(@TempDir Path empty) {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> LocalSchemaRegistry.start(empty.resolve("registry"), Duration.ofSeconds(1)));

        assertTrue(e.getMessage().contains("*-runner.jar"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn generate-resources"), e.getMessage());
        assertTrue(e.getMessage().contains(empty.resolve("registry").toString()), e.getMessage());
    }
}
