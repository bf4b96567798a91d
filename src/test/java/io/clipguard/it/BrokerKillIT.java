package io.clipguard.it;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker itself is SIGKILLed while uploads flow and the job has transactions open (its outputs,
 * its in-flight store's changelog and its offsets not yet committed), then started again on the same
 * log directory, as a crashed broker comes back. Every upload has exactly one outcome for a
 * {@code read_committed} consumer, nothing is dead-lettered for it, and the job lives through it.
 */
class BrokerKillIT {

    @TempDir
    Path work;

    @Test
    void aBrokerKilledWithTransactionsOpenLosesAndDoublesNothing() throws Exception {
        try (BrokerProcess broker = new BrokerProcess(work)) {
            broker.start();
            try (FaultRun run = new FaultRun(
                    "brokerkill",
                    broker.bootstrapServers(),
                    LocalSchemaRegistry.shared().url().toString(),
                    work,
                    2,
                    (short) 1)) {
                run.start("job", run.settings());
                run.warmUp("job");
                Thread uploads = run.sendGoodInBackground("good", 300, 30);
                Thread.sleep(4_000);
                broker.kill();
                Thread.sleep(4_000);
                broker.start();
                uploads.join();
                run.producer().flush();
                OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
                run.assertExactlyOnce(outcomes, Duration.ofSeconds(90));
                FaultRun.assertNoDeadLetters(outcomes);
            }
        }
    }
}
