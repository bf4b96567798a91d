package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry goes away while uploads arrive whose schema the job has not seen: first it refuses
 * connections, then it accepts them and never answers (the client's timeouts against the 10 s
 * transaction timeout: the stream thread's waits stay bounded, no producer is fenced), then it answers
 * 500 as during a leader fail-over, then it is back. Nothing may be dead-lettered for it; every upload
 * is scored once the registry answers.
 */
class RegistryOutageIT {

    @TempDir
    Path work;

    @Test
    void uploadsWaitForTheRegistryInsteadOfBecomingDeadLetters() throws Exception {
        LocalSchemaRegistry registry = LocalSchemaRegistry.shared();
        try (RegistryProxy proxy = new RegistryProxy(registry.url());
                FaultRun run = new FaultRun(
                        "registry",
                        SharedKafka.get().bootstrapServers(),
                        registry.url().toString(),
                        work,
                        2,
                        (short) 1)) {
            Properties settings = run.settings();
            settings.setProperty("schema.registry.url", proxy.url().toString());
            FaultRun.Job job = run.start("job", settings);
            run.warmUpWithoutReadingAnUpload(); // the uploads' schema id is not in the job's cache

            proxy.mode(RegistryProxy.Mode.DOWN);
            Thread uploads = run.sendGoodInBackground("good", 180, 12); // 15 s of uploads
            Thread.sleep(5_000);
            proxy.mode(RegistryProxy.Mode.SILENT);
            Thread.sleep(5_000);
            proxy.mode(RegistryProxy.Mode.ERROR_500);
            Thread.sleep(5_000);
            proxy.mode(RegistryProxy.Mode.FORWARD);
            uploads.join();
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(30));
            String log = Files.readString(job.log);
            for (String fenced :
                    List.of("ProducerFenced", "InvalidProducerEpoch", "TaskMigrated", "stream thread failed")) {
                assertFalse(
                        log.contains(fenced),
                        "the stream thread's waits on a silent registry stayed bounded: " + fenced);
            }
            assertEquals(
                    1,
                    outcomes.deadLetters().size(),
                    "nothing dead-lettered for the registry's outage" + " (only the warm-up event): "
                            + FaultRun.deadLetterReasons(outcomes));
            assertTrue(proxy.refused.get() > 0, "the job did ask the registry during the outage");
            assertTrue(job.alive());
        }
    }
}
