package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.Pacing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How long moderation stalls when an instance is stopped (scale-down, SIGTERM) and when one is
 * killed and restarted (SIGKILL, then the same pod name again), before and after static membership
 * and leaving the group on stop, measured in one run with Kafka's default session timeout (45 s).
 * The stall is the slowest outcome of the uploads sent in the 10 s after the event. Figures go to
 * {@code target/restart-report.md}.
 */
class RestartTimesIT {

    static final Path REPORT = Path.of("target", "restart-report.md");

    @TempDir
    Path work;

    @Test
    void staticMembershipAndLeavingTheGroupCutTheStalls() throws Exception {
        Duration[] before = measure("before", false);
        Duration[] after = measure("after", true);
        String report = String.format(
                "| | scale-down: SIGTERM to partitions processed elsewhere | SIGKILL + restart:"
                        + " stall until outcomes flow again |%n|---|---|---|%n"
                        + "| before (no static membership, stays in the group on stop) | %.1f s | %.1f s |%n"
                        + "| after (static membership, leaves the group on stop, drains) | %.1f s | %.1f s |%n",
                seconds(before[0]), seconds(before[1]), seconds(after[0]), seconds(after[1]));
        System.out.print(report);
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
        assertTrue(after[0].compareTo(Duration.ofSeconds(10)) < 0, "scale-down stall " + after[0]);
        assertTrue(after[1].compareTo(Duration.ofSeconds(25)) < 0, "restart stall " + after[1]);
        assertTrue(
                after[0].compareTo(before[0]) < 0 && after[1].compareTo(before[1]) < 0,
                "static membership and leaving the group are faster than without");
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** The two stalls: {scale-down, kill and restart}. */
    private Duration[] measure(String name, boolean fast) throws Exception {
        try (FaultRun run = new FaultRun(
                "restart-" + name,
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work.resolve(name),
                4,
                (short) 1)) {
            Files.createDirectories(work.resolve(name));
            Properties settings = run.settings();
            settings.remove("session.timeout.ms"); // Kafka's default, 45 s
            settings.remove("heartbeat.interval.ms");
            settings.setProperty("clipguard.shutdown.leave-group", String.valueOf(fast));
            if (fast) {
                settings.setProperty("group.instance.id", "${env:POD_NAME}");
            }
            FaultRun.Job a = run.start("a", settings, Map.of("POD_NAME", name + "-a"), "io.clipguard.cli.Main");
            Properties bSettings = (Properties) settings.clone();
            if (fast) { // a pod's state directory outlives its container (an emptyDir): the restart keeps the
                // process id, so its transactional id fences the killed one's open transaction at once
                bSettings.setProperty(
                        "state.dir", work.resolve(name).resolve("state-b").toString());
            }
            FaultRun.Job b = run.start("b", bSettings, Map.of("POD_NAME", name + "-b"), "io.clipguard.cli.Main");
            run.warmUp(name);
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread uploads = new Thread(() -> {
                long start = System.nanoTime();
                for (int i = 0; sending.get(); i++) {
                    if (!Pacing.awaitSlot(start, i, 10)) {
                        return;
                    }
                    run.send(run.goodUpload(name + "-" + i, i));
                }
            });
            uploads.start();
            Thread.sleep(4_000);
            Instant stopped = Instant.now();
            a.terminate();
            Thread.sleep(10_000);
            Instant settled = Instant.now();
            run.reader().awaitDistinct(run.sentAt.size(), Duration.ofSeconds(120)); // the first window is done
            Thread.sleep(2_000);
            Instant killed = Instant.now();
            b.kill();
            run.start("b2", bSettings, Map.of("POD_NAME", name + "-b"), "io.clipguard.cli.Main");
            Thread.sleep(10_000);
            Instant end = Instant.now();
            sending.set(false);
            uploads.join();
            run.producer().flush();
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
            // the stalls are only worth measuring if nothing was lost or doubled on the way
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(180));
            FaultRun.assertNoDeadLetters(outcomes);
            return new Duration[] {stall(run, outcomes, stopped, settled), stall(run, outcomes, killed, end)};
        }
    }

    /** The slowest outcome of the uploads sent in [from, to). */
    private static Duration stall(FaultRun run, OutcomeReader.Outcomes outcomes, Instant from, Instant to) {
        Map<String, Instant> window = new java.util.HashMap<>();
        run.sentAt.forEach((id, sent) -> {
            if (!sent.isBefore(from) && sent.isBefore(to)) {
                window.put(id, sent);
            }
        });
        return FaultRun.slowest(outcomes, window);
    }
}
