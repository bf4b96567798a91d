package io.clipguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example configuration in deploy/ must stay loadable as the code evolves. */
class ShippedConfigTest {

    @Test
    void exampleConfigurationLoads() {
        AppConfig config = ConfigLoader.load(Path.of("deploy/clipguard.properties"));
        assertEquals("clipguard", config.streams().getProperty("application.id"));
        assertFalse(config.batch().perRecord());
        assertEquals(16, config.batch().batching().maxBatchSize());
    }
}
