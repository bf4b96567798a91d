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
 * SIGTERM while the pipeline is full (a slow encoder, a burst of uploads queued behind it): the job
 * stops without dead-lettering anything because of the shutdown, and the next instance finishes
 * every upload exactly once.
 */
class GracefulShutdownIT {

    @TempDir
    Path work;

    @Test
    void shutdownWithAFullPipelineDeadLettersNothing() throws Exception {
        try (FaultRun run = new FaultRun(
                "shutdown",
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work,
                2,
                (short) 1)) {
            Properties shortDrain = run.settings();
            shortDrain.setProperty("clipguard.shutdown.drain-ms", "500"); // half an encoder batch: work is left
            FaultRun.Job first = run.start(
                    "first",
                    shortDrain,
                    FaultInjectingMain.class.getName(),
                    // 1 s a batch: the batches behind the first 40 uploads outlast a 0.5 s drain, so the job
                    // stops with work left however fast decoding is (with 100 ms and the 10 s default
                    // drain, a faster pre-processing let it finish everything before it stopped)
                    "-Dfault.encoder.slow-ms=1000",
                    "-Dfault.encoder.slow-from-batch=1",
                    "-Dfault.encoder.slow-batches=1000000");
            run.warmUp("first");
            run.sendGood("good", 300, 300);
            OutcomeReader.Outcomes before = run.reader().awaitDecided(40, Duration.ofSeconds(60));
            first.terminate();
            before = run.reader().drain(Duration.ofSeconds(2));
            int decidedBefore = before.decided();
            assertTrue(decidedBefore < 301, "stopped with uploads still in the pipeline: " + decidedBefore);
            assertEquals(
                    0,
                    before.deadLetters().size(),
                    "nothing dead-lettered by the shutdown: " + FaultRun.deadLetterReasons(before));

            FaultRun.Job second = run.start("second", run.settings());
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(90));
            FaultRun.assertNoDeadLetters(outcomes);
            assertTrue(second.alive());
            System.out.println("shutdown: " + decidedBefore + " decided before SIGTERM and the close, the rest after");
        }
    }
}
