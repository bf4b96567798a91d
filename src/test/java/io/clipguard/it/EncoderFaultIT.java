package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real encoder throws an {@code Error} once, and later turns slow for a while: no upload is
 * dead-lettered for either, each is scored once, and the slowest waits no longer than the slow
 * spell plus its queue.
 */
class EncoderFaultIT {

    @TempDir
    Path work;

    @Test
    void anEncoderThatFailsOnceAndThenStallsLosesAndDeadLettersNothing() throws Exception {
        try (FaultRun run = new FaultRun(
                "encoder",
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work,
                2,
                (short) 1)) {
            java.util.Properties settings = run.settings();
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job job = run.start(
                    "job",
                    settings,
                    FaultInjectingMain.class.getName(),
                    "-Dfault.encoder.error-at-batch=20",
                    "-Dfault.encoder.slow-ms=1500",
                    "-Dfault.encoder.slow-from-batch=60",
                    "-Dfault.encoder.slow-batches=6");
            run.warmUp("job");
            run.sendGood("good", 200, 25);
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(20));
            assertEquals(
                    0,
                    outcomes.deadLetters().size(),
                    "an engine failure is never the upload's fault: " + FaultRun.deadLetterReasons(outcomes));
            String scrape = FaultRun.body(port, "/metrics");
            assertTrue(
                    FaultRun.metric(scrape, "clipguard_encoder_batch_failures_total") >= 1,
                    "the encoder did throw, as the job counts it");
            assertTrue(
                    FaultRun.metric(scrape, "clipguard_encode_seconds_max") >= 1.5,
                    "and a batch did take the slow spell's 1.5 s");
            assertTrue(job.alive());
        }
    }
}
