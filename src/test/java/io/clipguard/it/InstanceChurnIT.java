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
 * Instances come and go while uploads flow, each a JVM of its own: of two instances sharing six
 * partitions one is SIGKILLed with work in flight, a third joins, and the second is stopped with
 * SIGTERM. Every upload has exactly one outcome, none later than the bound.
 */
class InstanceChurnIT {

    @TempDir
    Path work;

    @Test
    void killAddAndStopInstancesWhileUploadsFlow() throws Exception {
        try (FaultRun run = new FaultRun(
                "churn",
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work,
                6,
                (short) 1)) {
            java.util.Properties aSettings = run.settings();
            int aPort = FaultRun.serveManagement(aSettings);
            // a's encoder takes 300 ms a batch: whenever it is killed, it has uploads in flight
            FaultRun.Job a = run.start(
                    "a",
                    aSettings,
                    FaultInjectingMain.class.getName(),
                    "-Dfault.encoder.slow-ms=300",
                    "-Dfault.encoder.slow-from-batch=1",
                    "-Dfault.encoder.slow-batches=1000000");
            FaultRun.Job b = run.start("b", run.settings());
            run.warmUp("ab");
            Thread uploads = run.sendGoodInBackground("good", 600, 30);
            Thread.sleep(4_000);
            double inFlight = FaultRun.metric(FaultRun.body(aPort, "/metrics"), "clipguard_in_flight_bytes");
            a.kill();
            assertTrue(inFlight > 0, "the killed instance owned partitions with uploads in flight: " + inFlight);
            Thread.sleep(4_000);
            FaultRun.Job c = run.start("c", run.settings());
            Thread.sleep(6_000);
            b.terminate();
            assertEquals(0, b.process.exitValue() == 143 ? 0 : b.process.exitValue(), "b stopped cleanly");
            uploads.join();
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(45));
            FaultRun.assertNoDeadLetters(outcomes);
            assertTrue(c.alive(), "the instance that joined is running at the end");
        }
    }
}
