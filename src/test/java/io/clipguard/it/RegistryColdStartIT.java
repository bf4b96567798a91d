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
 * Regression: a job starting while its registry answered 401 (expired credentials) or an HTML 404 (an
 * ingress's default backend) dead-lettered the first events (MALFORMED_EVENT, UNKNOWN_SCHEMA), then
 * failed the stream thread writing those dead letters, and waited a session timeout for the replaced
 * thread. Now: not ready while the registry does not answer (no schema cached), nothing dead-lettered,
 * every upload scored once after the registry is back, the job alive.
 */
class RegistryColdStartIT {

    @TempDir
    Path work;

    @Test
    void aColdStartAgainstARegistryAnswering401ThenAnHtml404DeadLettersNothing() throws Exception {
        LocalSchemaRegistry registry = LocalSchemaRegistry.shared();
        try (RegistryProxy proxy = new RegistryProxy(registry.url());
                FaultRun run = new FaultRun(
                        "coldregistry",
                        SharedKafka.get().bootstrapServers(),
                        registry.url().toString(),
                        work,
                        2,
                        (short) 1)) {
            run.sendGood("early", 40, 40); // waiting when the job starts; their schema is the real registry's
            proxy.mode(RegistryProxy.Mode.UNAUTHORIZED_401);
            Properties settings = run.settings();
            settings.setProperty("schema.registry.url", proxy.url().toString());
            int port = FaultRun.serveManagement(settings);
            FaultRun.Job job = run.start("job", settings);

            FaultRun.awaitStatus(port, "/health/live", 200, Duration.ofSeconds(60));
            Thread.sleep(10_000);
            assertEquals(503, FaultRun.status(port, "/health/ready"), "not ready while the registry refuses");
            proxy.mode(RegistryProxy.Mode.HTML_404);
            Thread later = run.sendGoodInBackground("during", 40, 4);
            Thread.sleep(10_000);
            assertEquals(503, FaultRun.status(port, "/health/ready"), "not ready while a default backend answers");
            assertEquals(200, FaultRun.status(port, "/health/live"), "alive all the while");
            proxy.mode(RegistryProxy.Mode.FORWARD);
            Duration untilReady = FaultRun.awaitStatus(port, "/health/ready", 200, Duration.ofSeconds(60));
            later.join();

            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            System.out.println(
                    "registry cold start: ready " + untilReady.toMillis() + " ms after the registry was back");
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(90));
            FaultRun.assertNoDeadLetters(outcomes);
            assertTrue(proxy.refused.get() > 0, "the job did ask the registry during the outage");
            assertTrue(job.alive());
        }
    }
}
