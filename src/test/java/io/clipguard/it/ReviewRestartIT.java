package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ReviewDecision;
import io.clipguard.local.ConsoleSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console killed (SIGKILL) while a reviewer holds an item: a new console process sees the claim
 * (it lives in Kafka), hands the item to nobody until the lease runs out, then to exactly one reviewer,
 * and the item is decided once.
 */
class ReviewRestartIT {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Pattern LISTENING = Pattern.compile("review console on http://[^:]+:(\\d+)/");

    @TempDir
    Path dir;

    @Test
    void aClaimOfAKilledConsoleExpiresAndTheItemComesBackExactlyOnce() throws Exception {
        try (ReviewFixture fixture = new ReviewFixture(dir, 3)) {
            Instant t0 = Instant.now().minusSeconds(600);
            fixture.flag("a", "general", ReviewConsoleIT.IMAGE, t0);
            fixture.flag("b", "general", ReviewConsoleIT.IMAGE, t0.plusSeconds(1));
            fixture.flag("c", "general", ReviewConsoleIT.IMAGE, t0.plusSeconds(2));
            Path config = fixture.write(fixture.settings(LEASE), "console");

            Process first = start(config, dir.resolve("first.log"));
            Instant claimedAt;
            try {
                ConsoleSession alice =
                        ConsoleSession.signedIn(port(first, dir.resolve("first.log")), "alice", ReviewFixture.PASSWORD);
                ReviewConsoleIT.awaitQueue(alice, "general");
                String held = alice.claim("general");
                claimedAt = Instant.now();
                assertTrue(alice.get(held).body().contains("upload <code>a</code>"));
            } finally {
                first.destroyForcibly().waitFor();
            }

            Process second = start(config, dir.resolve("second.log"));
            try {
                int port = port(second, dir.resolve("second.log"));
                ConsoleSession bob = ConsoleSession.signedIn(port, "bob", ReviewFixture.PASSWORD);
                String bobs = bob.claim("general");
                assertTrue(
                        Instant.now().isBefore(claimedAt.plus(LEASE)),
                        "the second console took longer than the lease to start; the test proves nothing");
                assertTrue(bob.get(bobs).body().contains("upload <code>b</code>"), "a is still alice's");

                Thread.sleep(Math.max(
                        0,
                        Duration.between(Instant.now(), claimedAt.plus(LEASE)).toMillis() + 500));
                ConsoleSession carol = ConsoleSession.signedIn(port, "carol", ReviewFixture.PASSWORD);
                ConsoleSession dave = ConsoleSession.signedIn(port, "dave", ReviewFixture.PASSWORD);
                String carols = carol.claim("general");
                String daves = dave.claim("general");
                assertTrue(carol.get(carols).body().contains("upload <code>a</code>"), "a came back");
                assertTrue(dave.get(daves).body().contains("upload <code>c</code>"), "to one reviewer only");
                assertNull(
                        ConsoleSession.signedIn(port, "root", ReviewFixture.PASSWORD)
                                .claim("general"),
                        "nothing else is left");
                for (var pair : List.of(Map.entry(bob, bobs), Map.entry(carol, carols), Map.entry(dave, daves))) {
                    assertEquals(
                            303,
                            pair.getKey()
                                    .post(pair.getValue() + "/decide", Map.of("verdict", "ok"), true)
                                    .statusCode());
                }
            } finally {
                second.destroy();
                second.waitFor();
            }
            List<String> decided = fixture.decisions().stream()
                    .filter(Objects::nonNull)
                    .map(ReviewDecision::getUploadId)
                    .sorted()
                    .toList();
            assertEquals(List.of("a", "b", "c"), decided, "each decided once, a by carol");
            assertEquals(
                    "carol",
                    fixture.decisions().stream()
                            .filter(d -> d.getUploadId().equals("a"))
                            .findFirst()
                            .orElseThrow()
                            .getReviewer());
        }
    }

    private static Process start(Path config, Path log) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.clipguard.cli.Main",
                "review",
                "--config",
                config.toString());
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        return builder.start();
    }

    private static int port(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the console exited: " + Files.readString(log));
            }
            Matcher found = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
            if (found.find()) {
                return Integer.parseInt(found.group(1));
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the console did not start: " + Files.readString(log));
    }
}
