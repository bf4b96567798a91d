package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the pipeline is full (a slow encoder, a burst of uploads queued behind it), with a
 * second instance in the group: the stopping job drains for at most its drain time, dead-letters
 * nothing because of the shutdown, and leaves the group, so the second instance takes its partitions
 * at once (not after the 45 s session timeout) and finishes every upload exactly once.
 */
class GracefulShutdownIT {

    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration DRAIN = Duration.ofMillis(500);
    private static final Pattern DRAINED = Pattern.compile("drained uploads in flight in (\\d+) ms \\((\\d+) left");

    @TempDir
    Path work;

    @Test
    void shutdownWithAFullPipelineDrainsLeavesTheGroupAndDeadLettersNothing() throws Exception {
        try (FaultRun run = new FaultRun(
                "shutdown",
                SharedKafka.get().bootstrapServers(),
                LocalSchemaRegistry.shared().url().toString(),
                work,
                2,
                (short) 1)) {
            Properties slow = run.settings();
            slow.setProperty("session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
            slow.setProperty("clipguard.shutdown.drain-ms", String.valueOf(DRAIN.toMillis()));
            FaultRun.Job first = run.start(
                    "first",
                    slow,
                    FaultInjectingMain.class.getName(),
                    // 1 s a batch: the batches behind the first uploads outlast a 0.5 s drain, so the job
                    // stops with work left however fast decoding is
                    "-Dfault.encoder.slow-ms=1000",
                    "-Dfault.encoder.slow-from-batch=1",
                    "-Dfault.encoder.slow-batches=1000000");
            run.warmUp("first");
            Properties normal = run.settings();
            normal.setProperty("session.timeout.ms", String.valueOf(SESSION_TIMEOUT.toMillis()));
            FaultRun.Job second = run.start("second", normal);
            run.warmUp("second"); // both in the group, one partition each

            run.sendGood("good", 300, 300);
            OutcomeReader.Outcomes before = run.reader().awaitDecided(60, Duration.ofSeconds(60));
            assertTrue(before.decided() >= 60, "uploads flowed before the stop: " + before.decided());
            Instant terminated = Instant.now();
            first.terminate();
            Matcher drained = DRAINED.matcher(Files.readString(first.log));
            assertTrue(drained.find(), "the stopping job drained");
            long drainedMillis = Long.parseLong(drained.group(1));
            int left = Integer.parseInt(drained.group(2));
            assertTrue(drainedMillis <= DRAIN.toMillis() + 1_500, "drained within its drain time: " + drainedMillis);
            assertTrue(left > 0, "precondition: the stop left work in the pipeline (" + left + ")");

            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(90));
            FaultRun.assertNoDeadLetters(outcomes);
            long lastAppend = outcomes.scored().stream()
                    .mapToLong(r -> r.timestamp())
                    .max()
                    .orElseThrow();
            Duration handOver = Duration.ofMillis(lastAppend - terminated.toEpochMilli());
            assertTrue(
                    handOver.compareTo(SESSION_TIMEOUT.dividedBy(2)) < 0,
                    "the second instance finished the rest in " + handOver.toMillis()
                            + " ms: the first left the group instead of waiting out its session");
            assertTrue(second.alive());
            System.out.println("shutdown: drained " + drainedMillis + " ms, " + left + " left to the next owner, "
                    + "all done " + handOver.toMillis() + " ms after SIGTERM");
        }
    }
}
