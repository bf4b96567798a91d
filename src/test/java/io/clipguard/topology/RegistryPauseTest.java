package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stream thread waits on a failing registry at most once in any 4 s, whatever number of tasks it
 * punctuates: every failed read can cost the client's 3 s of timeouts, and a few in one transaction
 * would pass its 10 s timeout and fence the producer.
 */
class RegistryPauseTest {

    private static final long SECOND = 1_000_000_000L;

    @BeforeEach
    void fresh() {
        RegistryPause.succeeded();
    }

    @Test
    void afterAFailureTheThreadDoesNotWaitOnTheRegistryAgainFor4Seconds() {
        long now = 1_000 * SECOND;
        assertFalse(RegistryPause.active(now));
        RegistryPause.failed(now);
        assertTrue(RegistryPause.active(now + 3 * SECOND), "every task of the thread skips the registry");
        assertFalse(RegistryPause.active(now + 4 * SECOND + 1));
    }

    @Test
    void aSuccessEndsThePause() {
        RegistryPause.failed(0);
        RegistryPause.succeeded();
        assertFalse(RegistryPause.active(0));
    }
}
