package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An encoder call that never returns (a hung driver): nothing fails, images simply never complete.
 * Liveness must say so within the configured bound, so that the orchestrator restarts the job; the
 * restarted job (here: a new process without the fault) finishes every upload once, and nothing is
 * dead-lettered for the engine's hang.
 */
class EncoderHangIT {

    private static final Duration MAX_ENCODE = Duration.ofSeconds(5);

    @TempDir
    Path work;

    @Test
    void aHungEncoderFailsLivenessAndTheNextInstanceFinishesEverything() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run = new FaultRun("hang", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            Properties settings = run.settings();
            settings.setProperty("clipguard.management.max-encode-ms", String.valueOf(MAX_ENCODE.toMillis()));
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job hung = run.start(
                    "hung", settings, "io.clipguard.it.FaultInjectingMain", "-Dfault.encoder.hang-at-batch=4");
            run.warmUp("hung");
            assertEquals(200, FaultRun.status(port, "/health/live"), "live while the encoder works");

            run.sendGood("good", 60, 30);
            Duration untilDown = FaultRun.awaitStatus(port, "/health/live", 503, MAX_ENCODE.plusSeconds(30));
            System.out.println(
                    "hung encoder: liveness down " + untilDown.toMillis() + " ms after the last upload was sent");
            assertTrue(hung.alive(), "the process itself is still there: only liveness can tell");

            hung.kill(); // what the orchestrator does once liveness has failed long enough
            Properties next = run.settings();
            run.start("next", next);
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(120));
            FaultRun.assertNoDeadLetters(outcomes);
        }
    }
}
