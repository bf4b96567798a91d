package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ReviewDecision;
import io.clipguard.config.ConfigLoader;
import io.clipguard.console.ReviewConsole;
import io.clipguard.local.ConsoleSession;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The review console on a real broker and registry, through HTTP as a browser would use it: claims,
 * decisions and undo land on the topics exactly once, as a read_committed consumer sees them; hostile
 * requests are refused and write nothing; four reviewers working 500 items never share one.
 */
class ReviewConsoleIT {

    static final byte[] IMAGE = sample();

    @TempDir
    Path dir;

    @Test
    void reviewersClaimDifferentItemsAndEachDecisionIsWrittenOnceWithUndoAsATombstone() throws Exception {
        try (ReviewFixture fixture = new ReviewFixture(dir, 3)) {
            Instant t0 = Instant.now().minusSeconds(600);
            fixture.flag(
                    "old",
                    "general",
                    IMAGE,
                    t0,
                    new io.clipguard.avro.KnownContentMatch("terror", "block", "7", "e-1", 12, 80, Map.of()));
            fixture.flag("newer", "general", IMAGE, t0.plusSeconds(60));
            try (ReviewConsole console =
                    ReviewConsole.start(ConfigLoader.from(fixture.settings(Duration.ofMinutes(5))))) {
                ConsoleSession alice = ConsoleSession.signedIn(console.port(), "alice", ReviewFixture.PASSWORD);
                ConsoleSession bob = ConsoleSession.signedIn(console.port(), "bob", ReviewFixture.PASSWORD);
                awaitQueue(alice, "general");

                String aliceItem = alice.claim("general");
                String bobItem = bob.claim("general");
                assertNotNull(aliceItem);
                assertNotNull(bobItem);
                assertNotEquals(aliceItem, bobItem);
                assertNull(
                        ConsoleSession.signedIn(console.port(), "carol", ReviewFixture.PASSWORD)
                                .claim("general"),
                        "two items, two reviewers");

                String page = alice.get(aliceItem).body();
                assertTrue(page.contains("old"), "the oldest item goes first");
                assertTrue(page.contains("class=\"blur grey\""), "alice sees it blurred and grey by default");
                assertTrue(page.contains("<code>tiny-shapes-candidate v2</code> would allow"), "the shadow's decision");
                assertTrue(page.contains("u-old"), "the upload's attributes");
                assertTrue(
                        page.contains("bank <code>terror</code> v7 (block), entry <code>e-1</code> at distance 12"),
                        "the bank match");
                assertTrue(bob.get(bobItem).body().contains("class=\" grey\""), "bob's own setting: no blur");
                HttpResponse<byte[]> image = alice.getBytes(aliceItem + "/image");
                assertEquals(200, image.statusCode());
                assertEquals(
                        "image/png", image.headers().firstValue("Content-Type").orElseThrow());
                assertArrayEquals(IMAGE, image.body());
                assertTrue(image.headers()
                        .firstValue("Content-Security-Policy")
                        .orElseThrow()
                        .contains("sandbox"));
                assertEquals(409, bob.getBytes(aliceItem + "/image").statusCode(), "not bob's item: no image");

                HttpResponse<String> decided = alice.post(
                        aliceItem + "/decide", Map.of("verdict", "violation", "label", "cross", "note", "clear"), true);
                assertEquals(303, decided.statusCode(), decided.body());
                List<ReviewDecision> written = fixture.decisions();
                assertEquals(1, written.size());
                ReviewDecision decision = written.get(0);
                assertEquals("old", decision.getUploadId());
                assertEquals("alice", decision.getReviewer());
                assertEquals("general", decision.getQueue());
                assertEquals("clear", decision.getNote());
                assertTrue(decision.getTimeSpentMs() >= 0);
                assertEquals("cross", decision.getVerdicts().get(0).getLabel());

                HttpResponse<String> undone = alice.post(aliceItem + "/undo", Map.of("upload", "old"), true);
                assertEquals(303, undone.statusCode(), undone.body());
                assertEquals(aliceItem, undone.headers().firstValue("Location").orElseThrow(), "back to the item");
                HttpResponse<String> again = alice.post(aliceItem + "/decide", Map.of("verdict", "ok"), true);
                assertEquals(303, again.statusCode(), again.body());
                List<ReviewDecision> after = fixture.decisions();
                assertEquals(3, after.size(), "decision, tombstone, decision");
                assertNull(after.get(1));
                assertEquals("allow", after.get(2).getAction());
                assertEquals(
                        List.of("claim", "claim", "decide", "undo", "decide"),
                        actions(fixture).stream()
                                .filter(a -> !a.equals("release"))
                                .toList());
            }
        }
    }

    @Test
    void hostileRequestsAreRefusedWithAClearErrorAndWriteNothing() throws Exception {
        try (ReviewFixture fixture = new ReviewFixture(dir, 1)) {
            fixture.flag("x1", "general", IMAGE, Instant.now());
            try (ReviewConsole console =
                    ReviewConsole.start(ConfigLoader.from(fixture.settings(Duration.ofMinutes(5))))) {
                int port = console.port();
                ConsoleSession alice = ConsoleSession.signedIn(port, "alice", ReviewFixture.PASSWORD);
                awaitQueue(alice, "general");
                String item = alice.claim("general");
                int decisionsBefore = fixture.decisions().size();
                int auditBefore = fixture.readAll(fixture.audit).size();
                ConsoleSession stranger = new ConsoleSession(port, "stranger");

                Map<String, Integer> refused = new HashMap<>();
                refused.put("no session", stranger.get(item).statusCode());
                refused.put(
                        "no session, post",
                        stranger.postRaw(item + "/decide", "verdict=ok").statusCode());
                refused.put(
                        "wrong password",
                        stranger.post("/login", Map.of("user", "alice", "password", "guess"), false)
                                .statusCode());
                refused.put(
                        "no csrf",
                        alice.post(item + "/decide", Map.of("verdict", "ok"), false)
                                .statusCode());
                refused.put(
                        "forged csrf",
                        alice.postRaw(item + "/decide", "csrf=AAAA&verdict=ok").statusCode());
                refused.put(
                        "bad verdict",
                        alice.post(item + "/decide", Map.of("verdict", "maybe"), true)
                                .statusCode());
                refused.put(
                        "unknown label",
                        alice.post(item + "/decide", Map.of("verdict", "violation", "label", "<script>"), true)
                                .statusCode());
                refused.put(
                        "long note",
                        alice.post(item + "/decide", Map.of("verdict", "ok", "note", "n".repeat(3000)), true)
                                .statusCode());
                refused.put(
                        "huge form",
                        alice.postRaw(item + "/decide", "csrf=" + alice.csrfToken() + "&note=" + "x".repeat(70_000))
                                .statusCode());
                refused.put(
                        "twice",
                        alice.postRaw(item + "/decide", "csrf=" + alice.csrfToken() + "&verdict=ok&verdict=violation")
                                .statusCode());
                refused.put(
                        "guessed claim",
                        alice.get("/item/general/00000000-0000-0000-0000-000000000000/image")
                                .statusCode());
                refused.put(
                        "not a claim id",
                        alice.get("/item/general/..%2F..%2Fetc/image").statusCode());
                refused.put(
                        "control characters",
                        alice.post("/claim", Map.of("queue", "gen\u0000eral"), true)
                                .statusCode());
                refused.put(
                        "reviewer publishes",
                        alice.post("/tune/tiny-shapes/publish", Map.of("metric", "precision", "value", "0.9"), true)
                                .statusCode());
                refused.put(
                        "undo of nothing",
                        alice.post(item + "/undo", Map.of("upload", "x1"), true).statusCode());
                refused.put(
                        "static traversal",
                        alice.get("/static/..%2Fconsole%2Fitem.mustache").statusCode());
                refused.put(
                        "bad target",
                        ConsoleSession.signedIn(port, ReviewFixture.ADMIN, ReviewFixture.PASSWORD)
                                .get("/tune/tiny-shapes?value=7")
                                .statusCode());

                Map<String, Integer> expected = Map.ofEntries(
                        Map.entry("no session", 303),
                        Map.entry("no session, post", 401),
                        Map.entry("wrong password", 401),
                        Map.entry("no csrf", 403),
                        Map.entry("forged csrf", 403),
                        Map.entry("bad verdict", 400),
                        Map.entry("unknown label", 400),
                        Map.entry("long note", 400),
                        Map.entry("huge form", 413),
                        Map.entry("twice", 400),
                        Map.entry("guessed claim", 409),
                        Map.entry("not a claim id", 404),
                        Map.entry("control characters", 400),
                        Map.entry("reviewer publishes", 403),
                        Map.entry("undo of nothing", 409),
                        Map.entry("static traversal", 404),
                        Map.entry("bad target", 400));
                assertEquals(expected, refused);
                HttpResponse<String> page =
                        alice.post(item + "/decide", Map.of("verdict", "violation", "label", "<script>"), true);
                assertTrue(
                        page.body().contains("a violation needs one of the policy&#39;s labels")
                                || page.body().contains("a violation needs one of the policy&apos;s labels")
                                || page.body().contains("a violation needs one of the policy"),
                        page.body());
                assertTrue(!page.body().contains("<script>"), "nothing the request sent is echoed unescaped");
                assertEquals(decisionsBefore, fixture.decisions().size(), "no decision written");
                assertEquals(auditBefore, fixture.readAll(fixture.audit).size(), "nothing audited");
                HttpResponse<String> headers = alice.get("/");
                String csp =
                        headers.headers().firstValue("Content-Security-Policy").orElseThrow();
                assertTrue(csp.contains("default-src 'none'") && csp.contains("script-src 'self'"), csp);
                assertEquals(
                        "no-store",
                        headers.headers().firstValue("Cache-Control").orElseThrow());
            }
        }
    }

    @Test
    void fourReviewersWorkingFiveHundredItemsNeverShareOne() throws Exception {
        int items = 500;
        try (ReviewFixture fixture = new ReviewFixture(dir, 3)) {
            Instant t0 = Instant.now().minusSeconds(3600);
            for (int i = 0; i < items; i++) {
                fixture.flag("item-" + i, i % 2 == 0 ? "general" : "symbols", IMAGE, t0.plusMillis(i));
            }
            Properties second = fixture.settings(Duration.ofMinutes(5));
            second.setProperty("state.dir", dir.resolve("state-2").toString());
            // two console instances behind an imagined load balancer: they share the claims processor
            try (ReviewConsole console =
                            ReviewConsole.start(ConfigLoader.from(fixture.settings(Duration.ofMinutes(5))));
                    ReviewConsole other = ReviewConsole.start(ConfigLoader.from(second))) {
                List<Integer> ports = List.of(console.port(), other.port());
                ConsoleSession probe = ConsoleSession.signedIn(console.port(), "alice", ReviewFixture.PASSWORD);
                awaitQueue(probe, "general");
                awaitQueue(probe, "symbols");
                ExecutorService pool = Executors.newFixedThreadPool(4);
                List<Future<List<String>>> work = new ArrayList<>();
                List<Long> pageMillis = Collections.synchronizedList(new ArrayList<>());
                for (int r = 0; r < ReviewFixture.REVIEWERS.size(); r++) {
                    String name = ReviewFixture.REVIEWERS.get(r);
                    int port = ports.get(r % 2);
                    work.add(pool.submit(() -> {
                        ConsoleSession reviewer = ConsoleSession.signedIn(port, name, ReviewFixture.PASSWORD);
                        List<String> done = new ArrayList<>();
                        for (String queue : List.of("general", "symbols")) {
                            String item;
                            while ((item = reviewer.claim(queue)) != null) {
                                long start = System.nanoTime();
                                String page = reviewer.get(item).body();
                                pageMillis.add((System.nanoTime() - start) / 1_000_000);
                                String id = page.replaceFirst("(?s).*upload <code>([^<]+)</code>.*", "$1");
                                HttpResponse<String> decided =
                                        reviewer.post(item + "/decide", Map.of("verdict", "ok"), true);
                                assertEquals(303, decided.statusCode(), decided.body());
                                done.add(id);
                            }
                        }
                        return done;
                    }));
                }
                List<String> decidedByPages = new ArrayList<>();
                for (Future<List<String>> future : work) {
                    decidedByPages.addAll(future.get());
                }
                pool.shutdown();
                List<ReviewDecision> decisions = fixture.decisions();
                Set<String> ids = new HashSet<>();
                decisions.stream().filter(Objects::nonNull).forEach(d -> ids.add(d.getUploadId()));
                assertEquals(items, decisions.size(), "one decision per item, none twice");
                assertEquals(items, ids.size());
                assertEquals(items, new HashSet<>(decidedByPages).size(), "every page showed another upload");
                assertEquals(items, decidedByPages.size());
                List<Long> sorted = new ArrayList<>(pageMillis);
                Collections.sort(sorted);
                System.out.printf(
                        "4 reviewers, %d items: 0 double claims; item page p50 %d ms, p95 %d ms%n",
                        items, sorted.get(sorted.size() / 2), sorted.get(sorted.size() * 95 / 100));
            }
        }
    }

    @Test
    void behindAnAuthenticatingProxyItsHeaderSignsInFromTrustedAddressesOnly() throws Exception {
        try (ReviewFixture fixture = new ReviewFixture(dir, 1)) {
            Properties trusted = fixture.settings(Duration.ofMinutes(5));
            trusted.setProperty("clipguard.review.proxy-header", "X-Forwarded-User");
            Properties untrusted = (Properties) trusted.clone();
            untrusted.setProperty("clipguard.review.trusted-proxies", "10.0.0.0/8");
            untrusted.setProperty("state.dir", dir.resolve("state-2").toString());
            try (ReviewConsole console = ReviewConsole.start(ConfigLoader.from(trusted));
                    ReviewConsole elsewhere = ReviewConsole.start(ConfigLoader.from(untrusted))) {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                java.util.function.BiFunction<Integer, String, Integer> asUser = (port, user) -> {
                    try {
                        var request = java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + "/"));
                        if (user != null) {
                            request.header("X-Forwarded-User", user);
                        }
                        return http.send(request.build(), HttpResponse.BodyHandlers.ofString())
                                .statusCode();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                };
                assertEquals(200, asUser.apply(console.port(), "alice"), "the proxy's user is signed in");
                assertEquals(303, asUser.apply(console.port(), null), "no header: sent to sign in");
                assertEquals(303, asUser.apply(console.port(), "alice\tbob"), "not a user name");
                assertEquals(303, asUser.apply(elsewhere.port(), "alice"), "a header from an untrusted address");
                assertEquals(
                        401,
                        new ConsoleSession(console.port(), "x").get("/login").statusCode(),
                        "no password form behind a proxy");
            }
        }
    }

    static void awaitQueue(ConsoleSession reviewer, String queue) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            String page = reviewer.get("/").body();
            if (page.contains("<td class=\"queue\">" + queue + "</td>")) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("queue " + queue + " never showed on the queue page");
    }

    private static List<String> actions(ReviewFixture fixture) {
        List<String> actions = new ArrayList<>();
        fixture.readAll(fixture.audit).forEach(record -> {
            String json = new String(record.value(), java.nio.charset.StandardCharsets.UTF_8);
            actions.add(json.replaceFirst(".*\"action\":\"([^\"]+)\".*", "$1"));
        });
        return actions;
    }

    private static byte[] sample() {
        try {
            return Files.readAllBytes(Path.of("models/tiny-clip/samples/sample_003.png"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
