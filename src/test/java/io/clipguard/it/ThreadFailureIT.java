package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression: a failed stream thread is replaced by a new one with a new member id, and the dead one's
 * partitions waited for its session to time out (45 s) before anyone worked on them. Here stream threads
 * really fail: the per-record mode restarts the task (the thread) while the registry does not answer.
 * With static membership the dead thread's member is removed at once, so the work resumes in seconds,
 * well inside the 45 s session timeout; nothing is lost, doubled or dead-lettered.
 */
class ThreadFailureIT {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);

    @TempDir
    Path work;

    @Test
    void workResumesInSecondsAfterAStreamThreadFails() throws Exception {
        LocalSchemaRegistry registry = LocalSchemaRegistry.shared();
        try (RegistryProxy proxy = new RegistryProxy(registry.url());
                FaultRun run = new FaultRun(
                        "threadfail",
                        SharedKafka.get().bootstrapServers(),
                        registry.url().toString(),
                        work,
                        2,
                        (short) 1)) {
            Properties settings = run.settings();
            settings.setProperty("schema.registry.url", proxy.url().toString());
            settings.setProperty("clipguard.pipeline.mode", "per-record");
            settings.setProperty("group.instance.id", "threadfail-" + run.id);
            settings.setProperty("session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
            FaultRun.Job job = run.start("job", settings);
            run.warmUpWithoutReadingAnUpload(); // the uploads' schema id is not in the job's cache

            proxy.mode(RegistryProxy.Mode.DOWN);
            run.sendGood("good", 30, 30);
            Thread.sleep(3_000);
            proxy.mode(RegistryProxy.Mode.FORWARD);

            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, SESSION_TIMEOUT.dividedBy(2));
            assertEquals(
                    1,
                    outcomes.deadLetters().size(),
                    "only the warm-up event: " + FaultRun.deadLetterReasons(outcomes));
            String log = Files.readString(job.log);
            assertTrue(log.contains("stream thread failed"), "a stream thread did fail");
            assertTrue(log.contains("removed the failed stream thread's member"), "and its member was removed");
            assertTrue(job.alive());
        }
    }
}
