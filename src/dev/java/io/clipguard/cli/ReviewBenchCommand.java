package io.clipguard.cli;

import io.clipguard.config.ConfigLoader;
import io.clipguard.console.Passwords;
import io.clipguard.console.ReviewConsole;
import io.clipguard.local.ConsoleSession;
import io.clipguard.local.FlaggedUploads;
import io.clipguard.local.LocalKafka;
import io.clipguard.local.LocalSchemaRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code review-bench}: the review console's targets of issue 19 in one run, on a local broker and
 * registry: with N items waiting across four queues, R reviewers claim, open and decide items at once;
 * the item page's latency (claim done, page requested to page received) and the time from the decide
 * request (what a keypress sends) to the decision seen by a read_committed consumer of the reviews topic.
 */
@Command(
        name = "review-bench",
        mixinStandardHelpOptions = true,
        description = "Item page latency and decision-to-topic latency of the review console under a backlog.")
final class ReviewBenchCommand implements java.util.concurrent.Callable<Integer> {

    private static final List<String> QUEUES = List.of("general", "symbols", "legal", "spam");
    private static final Pattern WAITING = Pattern.compile("class=\"num waiting\">(\\d+)<");
    private static final Pattern UPLOAD = Pattern.compile("upload <code>([^<]+)</code>");

    @Option(names = "--items", defaultValue = "10000", description = "items waiting (default: ${DEFAULT-VALUE})")
    int items;

    @Option(names = "--reviewers", defaultValue = "4", description = "concurrent reviewers (default: ${DEFAULT-VALUE})")
    int reviewers;

    @Option(names = "--decisions", defaultValue = "400", description = "items decided, all reviewers together")
    int decisions;

    @Option(names = "--out", description = "append the results to this markdown file")
    Path out;

    @Override
    public Integer call() throws Exception {
        Path work = Files.createTempDirectory("review-bench");
        try (LocalKafka kafka = LocalKafka.start();
                LocalSchemaRegistry registry = LocalSchemaRegistry.start()) {
            String bootstrap = kafka.bootstrapServers();
            kafka.createTopics(3, List.of("uploads", "moderation.scored", "moderation.flagged"));
            kafka.createTopics(1, List.of("moderation.dlq", "policies"));
            long start = System.nanoTime();
            byte[] image = Files.readAllBytes(Path.of("models/tiny-clip/samples/sample_003.png"));
            try (FlaggedUploads flags =
                    new FlaggedUploads(bootstrap, registry.url().toString(), "uploads", "moderation.flagged")) {
                Instant t0 = Instant.now().minus(Duration.ofHours(1));
                List<Future<?>> sent = new ArrayList<>();
                for (int i = 0; i < items; i++) {
                    sent.add(flags.flagSoon(
                            "item-" + i, QUEUES.get(i % QUEUES.size()), image, t0.plusMillis(i), List.of()));
                }
                for (Future<?> done : sent) {
                    done.get();
                }
            }
            System.out.printf("flagged %d items in %d s%n", items, (System.nanoTime() - start) / 1_000_000_000);
            String password = "bench-password";
            Properties settings = settings(bootstrap, registry.url().toString(), work, password);
            try (ReviewConsole console = ReviewConsole.start(ConfigLoader.from(settings));
                    DecisionWatch watch = new DecisionWatch(bootstrap)) {
                ConsoleSession probe = ConsoleSession.signedIn(console.port(), "r0", password);
                Duration loaded = awaitWaiting(probe, items);
                System.out.printf(
                        "the console's queues showed all %d items %d s after it started%n", items, loaded.toSeconds());
                report(measure(console.port(), password, watch), loaded);
            }
        }
        return 0;
    }

    private record Samples(List<Long> pageMillis, List<Long> commitMillis, long seconds) {}

    private Samples measure(int port, String password, DecisionWatch watch) throws Exception {
        List<Long> pages = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(reviewers);
        List<Future<?>> work = new ArrayList<>();
        long start = System.nanoTime();
        for (int r = 0; r < reviewers; r++) {
            String name = "r" + r;
            String queue = QUEUES.get(r % QUEUES.size());
            int share = decisions / reviewers;
            work.add(pool.submit(() -> {
                ConsoleSession reviewer = ConsoleSession.signedIn(port, name, password);
                for (int i = 0; i < share; i++) {
                    String item = reviewer.claim(queue);
                    long asked = System.nanoTime();
                    HttpResponse<String> page = reviewer.get(item);
                    pages.add((System.nanoTime() - asked) / 1_000_000);
                    Matcher upload = UPLOAD.matcher(page.body());
                    if (page.statusCode() != 200 || !upload.find()) {
                        throw new IllegalStateException("item page answered " + page.statusCode());
                    }
                    sentAt.put(upload.group(1), System.nanoTime());
                    HttpResponse<String> decided = reviewer.post(item + "/decide", Map.of("verdict", "ok"), true);
                    if (decided.statusCode() != 303) {
                        throw new IllegalStateException("decide answered " + decided.statusCode());
                    }
                }
                return null;
            }));
        }
        for (Future<?> done : work) {
            done.get();
        }
        pool.shutdown();
        long seconds = (System.nanoTime() - start) / 1_000_000_000;
        List<Long> commits = new ArrayList<>();
        for (Map.Entry<String, Long> sent : sentAt.entrySet()) {
            commits.add((watch.awaitSeen(sent.getKey()) - sent.getValue()) / 1_000_000);
        }
        return new Samples(pages, commits, seconds);
    }

    private void report(Samples samples, Duration loaded) throws Exception {
        List<Long> pages = new ArrayList<>(samples.pageMillis());
        List<Long> commits = new ArrayList<>(samples.commitMillis());
        Collections.sort(pages);
        Collections.sort(commits);
        String report = String.format(
                Locale.ROOT,
                "### review-bench, %s%n%nMachine: %d cores, Java %s. %d items waiting across %d queues, %d"
                        + " reviewers deciding %d of them at once (%d s).%n%n"
                        + "| measure | p50 | p95 | p99 | max | target |%n|---|---|---|---|---|---|%n"
                        + "| item page ready (ms) | %d | %d | %d | %d | p95 <= 300 |%n"
                        + "| decide request to decision on the topic (ms) | %d | %d | %d | %d | p99 <= 1000 |%n%n"
                        + "The console's queue page showed all items %d s after it started (its claims"
                        + " processor read the backlog).%n",
                Instant.now(),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                items,
                QUEUES.size(),
                reviewers,
                decisions,
                samples.seconds(),
                pct(pages, 50),
                pct(pages, 95),
                pct(pages, 99),
                pages.get(pages.size() - 1),
                pct(commits, 50),
                pct(commits, 95),
                pct(commits, 99),
                commits.get(commits.size() - 1),
                loaded.toSeconds());
        System.out.print(report);
        if (out != null) {
            Files.writeString(out, "\n" + report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static long pct(List<Long> sorted, int percentile) {
        return sorted.get(Math.min(sorted.size() - 1, sorted.size() * percentile / 100));
    }

    private Properties settings(String bootstrap, String registry, Path work, String password) {
        Properties settings = new Properties();
        settings.setProperty("application.id", "review-bench");
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", work.resolve("state").toString());
        settings.setProperty("clipguard.topic.policy", "policies");
        settings.setProperty("clipguard.policy.file", "deploy/policies/tiny-shapes.yaml");
        settings.setProperty("clipguard.review.port", "0");
        settings.setProperty("clipguard.review.session-secret", "bench-secret-bench-secret-bench-secret");
        String hash = Passwords.hash(password.toCharArray());
        for (int r = 0; r < reviewers; r++) {
            settings.setProperty("clipguard.review.user.r" + r + ".password", hash);
        }
        settings.setProperty("clipguard.review.user.r0.password", hash);
        return settings;
    }

    private static Duration awaitWaiting(ConsoleSession probe, int items) throws Exception {
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMinutes(10).toNanos()) {
            Matcher waiting = WAITING.matcher(probe.get("/").body());
            long total = 0;
            while (waiting.find()) {
                total += Long.parseLong(waiting.group(1));
            }
            if (total >= items) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the queues never showed " + items + " items");
    }

    /** Notes when each decision reaches the reviews topic, as a read_committed consumer sees it. */
    private static final class DecisionWatch implements AutoCloseable {
        private final Map<String, Long> seen = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        DecisionWatch(String bootstrap) {
            Properties settings = new Properties();
            settings.put("bootstrap.servers", bootstrap);
            settings.put("isolation.level", "read_committed");
            settings.put("fetch.max.wait.ms", "10");
            KafkaConsumer<String, byte[]> consumer =
                    new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer());
            thread = new Thread(() -> {
                try (consumer) {
                    List<TopicPartition> partitions = List.of();
                    while (running && partitions.isEmpty()) {
                        partitions = consumer.partitionsFor("moderation.reviews").stream()
                                .map(info -> new TopicPartition(info.topic(), info.partition()))
                                .toList();
                    }
                    consumer.assign(partitions);
                    while (running) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                            seen.putIfAbsent(record.key(), System.nanoTime());
                        }
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        long awaitSeen(String uploadId) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                Long at = seen.get(uploadId);
                if (at != null) {
                    return at;
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException(uploadId + "'s decision never reached the topic");
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5_000);
        }
    }
}
