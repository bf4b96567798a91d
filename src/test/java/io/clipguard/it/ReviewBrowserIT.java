package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.ModerationResult;
import io.clipguard.config.ConfigLoader;
import io.clipguard.console.ReviewConsole;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The review console in a real browser (Debian's headless Chromium driven by Selenium) in front of the
 * real pipeline: sign in, claim, reveal, decide with the keyboard, undo; two browsers claim different
 * uploads; the tune page changes after decisions; an admin publishes a shadow policy and promotes it,
 * and the pipeline's results show it in force. Screenshots of each page go to {@code
 * target/review-screenshots/} (the README's come from there).
 */
class ReviewBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "review-screenshots");

    @TempDir
    Path dir;

    @Test
    void reviewersWorkTheQueueWithTheKeyboardAndAnAdminPublishesWhatTheyTaught() throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        Files.createDirectories(SCREENSHOTS);
        try (ReviewFixture fixture = new ReviewFixture(dir, 3)) {
            Properties settings = fixture.settings(Duration.ofMinutes(5));
            Path shadow = dir.resolve("tiny-shapes-candidate.yaml");
            Files.writeString(
                    shadow,
                    Files.readString(Path.of("deploy/policies/tiny-shapes.yaml"))
                            .replace("id: tiny-shapes", "id: tiny-shapes-candidate"));
            settings.setProperty("clipguard.policy.shadow-file", shadow.toString());
            settings.setProperty("commit.interval.ms", "100");
            Properties console = (Properties) settings.clone();
            console.setProperty("state.dir", dir.resolve("console-state").toString());
            List<String> crosses = samples("cross", 6);
            try (ModerationApp app = ModerationApp.start(ConfigLoader.from(settings));
                    UploadProducer producer = new UploadProducer(fixture.bootstrap, fixture.registry, fixture.uploads);
                    OutcomeReader reader = new OutcomeReader(
                            fixture.bootstrap, fixture.registry, fixture.scored, fixture.flagged, fixture.dlq);
                    ReviewConsole review = ReviewConsole.start(ConfigLoader.from(console))) {
                app.awaitRunning(Duration.ofSeconds(60));
                for (int i = 0; i < crosses.size(); i++) {
                    producer.send(UploadProducer.inline("cross-" + i, sample(crosses.get(i)), "image/png"), true);
                }
                producer.flush();
                reader.awaitDecided(crosses.size(), Duration.ofSeconds(120));
                String base = "http://127.0.0.1:" + review.port();

                WebDriver alice = browser();
                WebDriver bob = browser();
                WebDriver root = browser();
                try {
                    signIn(alice, base, "alice", "login");
                    signIn(bob, base, "bob", null);
                    signIn(root, base, ReviewFixture.ADMIN, null);
                    await(alice, d -> {
                        d.navigate().refresh();
                        return d.getPageSource().contains("<td class=\"queue\">general</td>");
                    });
                    shot(alice, "queues");

                    int reviewedBefore = reviewed(root, base);
                    press(alice, "1"); // the first queue's "Claim next"
                    bob.findElement(By.cssSelector("button[data-key='1']")).click();
                    String alicesUpload = uploadOn(alice);
                    String bobsUpload = uploadOn(bob);
                    assertNotEquals(alicesUpload, bobsUpload, "two browsers, two uploads");
                    assertEquals("blur grey", picture(alice), "alice's defaults: blurred and grey");
                    assertEquals("grey", picture(bob), "bob's own setting: not blurred");
                    shot(alice, "item");
                    press(alice, "r");
                    assertEquals("", picture(alice), "revealed");

                    List<Long> commitMillis = new ArrayList<>();
                    try (DecisionWatch watch = new DecisionWatch(fixture)) {
                        press(alice, "2"); // the label "cross"
                        long pressed = System.nanoTime();
                        press(alice, "v");
                        commitMillis.add(watch.awaitDecisionOf(alicesUpload, pressed));
                        await(alice, d -> d.getPageSource().contains("Violation: 'cross'"));
                        shot(alice, "decided");
                        press(alice, "u");
                        await(alice, d -> d.getPageSource().contains("upload <code>" + alicesUpload + "</code>"));
                        assertTrue(watch.awaitTombstoneOf(alicesUpload), "the undo is a tombstone");
                        pressed = System.nanoTime();
                        press(alice, "n");
                        commitMillis.add(watch.awaitDecisionOf(alicesUpload, pressed));
                        for (int more = 0; more < 3; more++) {
                            await(alice, d -> d.getPageSource().contains("data-key=\"j\""));
                            press(alice, "j"); // the next item
                            await(alice, d -> d.getPageSource().contains("data-key=\"v\""));
                            String upload = uploadOn(alice);
                            press(alice, "2");
                            pressed = System.nanoTime();
                            press(alice, "v");
                            commitMillis.add(watch.awaitDecisionOf(upload, pressed));
                        }
                    }
                    Collections.sort(commitMillis);
                    System.out.println("keypress to decision on the topic (ms, sorted): " + commitMillis);

                    await(root, d -> reviewed(d, base) >= reviewedBefore + 4);
                    shot(root, "tune");

                    root.findElement(By.id("publish")).click();
                    await(root, d -> d.getPageSource().contains("id=\"confirm\""));
                    shot(root, "publish-confirm");
                    root.findElement(By.id("confirm")).click();
                    await(root, d -> d.getPageSource().contains("Published to the policy topic."));
                    assertTrue(fixture.readAll(fixture.audit).stream()
                            .anyMatch(r -> new String(r.value()).contains("\"action\":\"publish-shadow\"")
                                    && new String(r.value()).contains("\"actor\":\"root\"")));
                    ModerationResult later = moderated(producer, reader, crosses.get(5), "after-publish", 7);
                    assertEquals("2", later.getShadowDecision().getPolicyVersion(), "the pipeline runs shadow v2");

                    root.findElement(By.id("promote")).click();
                    await(root, d -> d.getPageSource().contains("id=\"confirm\""));
                    root.findElement(By.id("confirm")).click();
                    await(root, d -> d.getPageSource().contains("Published to the policy topic."));
                    ModerationResult promoted = moderated(producer, reader, crosses.get(5), "after-promote", 8);
                    assertEquals("tiny-shapes", promoted.getPolicyId());
                    assertEquals("2", promoted.getPolicyVersion(), "the promoted shadow decides live");
                } finally {
                    alice.quit();
                    bob.quit();
                    root.quit();
                }
            }
        }
    }

    /** Sends an upload until the pipeline has taken up the policy change (a poll or two). */
    private static ModerationResult moderated(
            UploadProducer producer, OutcomeReader reader, String sample, String id, int expected) throws Exception {
        producer.send(UploadProducer.inline(id, sample(sample), "image/png"), true);
        producer.flush();
        OutcomeReader.Outcomes outcomes = reader.awaitDecided(expected, Duration.ofSeconds(60));
        return outcomes.scored().stream()
                .map(ConsumerRecord::value)
                .filter(result -> result.getUploadId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    private static WebDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,800");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static void signIn(WebDriver driver, String base, String user, String screenshot) throws Exception {
        driver.get(base + "/");
        await(driver, d -> d.getCurrentUrl().endsWith("/login"));
        driver.findElement(By.name("user")).sendKeys(user);
        driver.findElement(By.name("password")).sendKeys(ReviewFixture.PASSWORD);
        if (screenshot != null) {
            shot(driver, screenshot);
        }
        driver.findElement(By.cssSelector("form.login button")).click();
        await(driver, d -> d.getPageSource().contains("Review queues"));
    }

    private static int reviewed(WebDriver driver, String base) {
        driver.get(base + "/tune/tiny-shapes");
        String text = driver.findElement(By.cssSelector("p.reviewed")).getText();
        return Integer.parseInt(text.substring(0, text.indexOf(' ')));
    }

    private static void press(WebDriver driver, String key) {
        new Actions(driver).sendKeys(key).perform();
    }

    private static String uploadOn(WebDriver driver) {
        await(driver, d -> !d.findElements(By.cssSelector("section.facts h1 code"))
                .isEmpty());
        return driver.findElement(By.cssSelector("section.facts h1 code")).getText();
    }

    private static String picture(WebDriver driver) {
        return driver.findElement(By.id("picture")).getAttribute("class").trim();
    }

    private static void await(WebDriver driver, Function<WebDriver, Boolean> condition) {
        new WebDriverWait(driver, Duration.ofSeconds(30), Duration.ofMillis(100)).until(condition::apply);
    }

    private static void shot(WebDriver driver, String name) throws Exception {
        byte[] png = ((ChromeDriver) driver).getScreenshotAs(OutputType.BYTES);
        Files.write(SCREENSHOTS.resolve(name + ".png"), png);
    }

    private static List<String> samples(String shape, int count) throws Exception {
        List<String> files = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("models/tiny-clip/samples/samples.csv"))) {
            String[] f = line.split(",");
            if (f.length > 2 && f[2].equals(shape) && f[0].endsWith(".png") && files.size() < count) {
                files.add(f[0]);
            }
        }
        return files;
    }

    private static byte[] sample(String file) throws Exception {
        return Files.readAllBytes(Path.of("models/tiny-clip/samples").resolve(file));
    }

    /** A read_committed consumer on the reviews topic, started before the keypresses it times. */
    private static final class DecisionWatch implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;

        DecisionWatch(ReviewFixture fixture) {
            Properties settings = new Properties();
            settings.put("bootstrap.servers", fixture.bootstrap);
            settings.put("isolation.level", "read_committed");
            settings.put("fetch.max.wait.ms", "10");
            consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(fixture.reviews).stream()
                    .map(info -> new TopicPartition(fixture.reviews, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
        }

        long awaitDecisionOf(String uploadId, long pressedNanos) {
            return await(record -> record.key().equals(uploadId) && record.value() != null, pressedNanos);
        }

        boolean awaitTombstoneOf(String uploadId) {
            return await(record -> record.key().equals(uploadId) && record.value() == null, System.nanoTime()) >= 0;
        }

        private long await(java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted, long since) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                    if (wanted.test(record)) {
                        return (System.nanoTime() - since) / 1_000_000;
                    }
                }
            }
            throw new AssertionError("the decision never reached the reviews topic");
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
