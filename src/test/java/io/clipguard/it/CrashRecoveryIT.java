package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Kills the moderation job with SIGKILL in the middle of a stream of uploads, restarts it, and
 * checks, on what a {@code read_committed} consumer sees, that every upload has exactly one outcome
 * (exactly_once_v2, batched), or at least one and none lost (at_least_once, which only the per-record
 * mode accepts); nothing dead-lettered, every outcome within the bound, the new job alive.
 */
class CrashRecoveryIT {

    private static final int UPLOADS = 400;
    private static final int UPLOADS_PER_SECOND = 80;
    private static final String STAR_ALLOWED =
            "  - id: star\n    description: Any other star. Neutral.\n    names: [star]\n    action: allow";
    private static final String STAR_REVIEWED =
            "  - id: star\n    description: Any other star. Neutral.\n    names: [star]\n    action: review";

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource({"exactly_once_v2,batched", "at_least_once,per-record"})
    void everyUploadSurvivesAKillInTheMiddle(String guarantee, String mode) throws Exception {
        try (FaultRun run = new FaultRun(
                "crash-" + mode,
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work,
                3,
                (short) 1)) {
            Properties settings = run.settings();
            settings.setProperty("processing.guarantee", guarantee);
            settings.setProperty("clipguard.pipeline.mode", mode);
            // a shadow policy that sends every star to review: its differing results go to the shadow topic,
            // where exactly-once is checked too
            java.nio.file.Path shadow = work.resolve("tiny-shapes-candidate.yaml");
            java.nio.file.Files.writeString(
                    shadow,
                    java.nio.file.Files.readString(java.nio.file.Path.of("deploy/policies/tiny-shapes.yaml"))
                            .replace("id: tiny-shapes", "id: tiny-shapes-candidate")
                            .replace(STAR_ALLOWED, STAR_REVIEWED));
            settings.setProperty("clipguard.policy.shadow-file", shadow.toString());
            FaultRun.Job first = run.start("first", settings, "io.clipguard.cli.Main", "-Xmx1g");
            run.warmUp("first");
            Thread uploads = run.sendGoodInBackground("upload", UPLOADS, UPLOADS_PER_SECOND);
            int beforeKill = run.reader()
                    .awaitDecided(UPLOADS / 4, Duration.ofSeconds(120))
                    .decided();
            first.kill(); // SIGKILL: no clean shutdown, no final commit
            assertTrue(beforeKill > 1 && beforeKill < UPLOADS, "killed in the middle, after " + beforeKill);

            run.start("second", settings, "io.clipguard.cli.Main", "-Xmx1g");
            uploads.join();
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
            if (guarantee.equals("exactly_once_v2")) {
                run.assertExactlyOnce(outcomes, Duration.ofSeconds(60));
                assertTrue(outcomes.shadow().size() > 0, "the shadow policy decided otherwise for the stars");
            } else {
                run.assertAtLeastOnce(outcomes, Duration.ofSeconds(60));
            }
            FaultRun.assertNoDeadLetters(outcomes);
        }
    }
}
