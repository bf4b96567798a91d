package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.Pacing;
import io.clipguard.local.SampleImages;
import io.clipguard.local.UploadProducer;
import io.clipguard.pipeline.OutcomeFitter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One fault scenario on real parts: its own topics on a real broker, the job as separate JVMs (as
 * in production, so they can be killed), uploads sent at a steady rate with their send times, and
 * the invariant checked on what a {@code read_committed} consumer sees. Each scenario appends a line
 * to {@code target/fault-report.md}: uploads sent, outcomes, duplicates, lost, slowest outcome, and
 * the jobs' peak heap (from their GC logs).
 */
final class FaultRun implements AutoCloseable {

    static final Path REPORT = Path.of("target", "fault-report.md");
    private static final Pattern HEAP_BEFORE_GC = Pattern.compile("(\\d+)M->\\d+M\\(");

    final String id = UUID.randomUUID().toString().substring(0, 8);
    final String scenario;
    final String bootstrap;
    final String registry;
    final Map<String, String> topics;
    final Map<String, Instant> sentAt = new ConcurrentHashMap<>();
    /** Keys of events sent that are not uploads: their dead letters carry the key as upload id. */
    final java.util.Set<String> rawKeys = ConcurrentHashMap.newKeySet();

    private final Path work;
    private final List<Job> jobs = new ArrayList<>();
    private final List<byte[]> images = new ArrayList<>();
    private UploadProducer producer;
    private OutcomeReader reader;

    FaultRun(String scenario, String bootstrap, String registry, Path work, int partitions, short replication)
            throws Exception {
        this.scenario = scenario;
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.work = work;
        this.topics = Map.of(
                "uploads",
                scenario + "-uploads-" + id,
                "scored",
                scenario + "-scored-" + id,
                "flagged",
                scenario + "-flagged-" + id,
                "dlq",
                scenario + "-dlq-" + id,
                "shadow",
                scenario + "-shadow-" + id);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(topics.entrySet().stream()
                            .map(t -> t.getKey().equals("uploads")
                                    ? new NewTopic(t.getValue(), partitions, replication)
                                    // the outputs at Kafka's default message limit, not the test broker's 20 MB,
                                    // stamped with the time the broker appended each record
                                    : new NewTopic(t.getValue(), 1, replication)
                                            .configs(Map.of(
                                                    "max.message.bytes",
                                                    String.valueOf(OutcomeFitter.KAFKA_DEFAULT_MAX_MESSAGE_BYTES),
                                                    // a bound is measured to when the broker appended the outcome
                                                    "message.timestamp.type",
                                                    "LogAppendTime")))
                            .toList())
                    .all()
                    .get();
        }
        for (SampleImages.Sample sample : SampleImages.load(Path.of("models/tiny-clip/samples"))) {
            images.add(Files.readAllBytes(sample.file()));
        }
    }

    /** The job's settings for this scenario: its topics, fast group failure detection, the tiny model. */
    Properties settings() {
        Properties settings = new Properties();
        settings.setProperty("application.id", scenario + "-" + id);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("commit.interval.ms", "200");
        settings.setProperty("session.timeout.ms", "6000");
        settings.setProperty("heartbeat.interval.ms", "1000");
        topics.forEach((role, name) -> settings.setProperty("clipguard.topic." + role, name));
        settings.setProperty("clipguard.model.dir", "models/tiny-clip");
        settings.setProperty("clipguard.management.port", "0"); // several jobs share this machine
        settings.setProperty("clipguard.policy.file", "deploy/policies/tiny-shapes.yaml");
        return settings;
    }

    /** Serves the job's management endpoints on a free port of this machine, and returns it. */
    static int serveManagement(Properties settings) throws IOException {
        int port;
        try (java.net.ServerSocket socket =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        settings.setProperty("clipguard.management.port", String.valueOf(port));
        settings.setProperty("clipguard.management.host", "127.0.0.1");
        return port;
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** The HTTP status of a management endpoint, or -1 while nothing answers. */
    static int status(int port, String path) {
        try {
            return HTTP.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The body of a management endpoint (for example {@code /metrics}). */
    static String body(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** A metric's value in a Prometheus scrape (the first series of that name), or NaN when absent. */
    static double metric(String scrape, String name) {
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+-]+|NaN)$")
                .matcher(scrape);
        return value.find() ? Double.parseDouble(value.group(2)) : Double.NaN;
    }

    /** Waits until the endpoint answers {@code expected}; how long that took, or fails at the timeout. */
    static Duration awaitStatus(int port, String path, int expected, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        while (status(port, path) != expected) {
            if (System.nanoTime() - start > timeout.toNanos()) {
                throw new AssertionError(path + " did not answer " + expected + " within " + timeout);
            }
            Thread.sleep(200);
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** A running job process. */
    final class Job {
        final String name;
        final Process process;
        final Path log;
        final Path gcLog;
        /** Stopped by the scenario (killed or terminated): not expected to be alive at the end. */
        volatile boolean stopped;

        Job(String name, Process process, Path log, Path gcLog) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.gcLog = gcLog;
        }

        void kill() throws InterruptedException {
            stopped = true;
            process.destroyForcibly().waitFor(); // SIGKILL: no goodbye, no last commit
        }

        void terminate() throws InterruptedException {
            stopped = true;
            process.destroy(); // SIGTERM: the shutdown hook closes the job
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not stop within 60 s of SIGTERM");
            }
        }

        boolean alive() {
            return process.isAlive();
        }

        long peakHeapMb() {
            try {
                long peak = 0;
                Matcher m = HEAP_BEFORE_GC.matcher(Files.readString(gcLog));
                while (m.find()) {
                    peak = Math.max(peak, Long.parseLong(m.group(1)));
                }
                return peak;
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** Starts the job as its own JVM: {@code main} is {@code io.clipguard.cli.Main} or a test main. */
    Job start(String name, Properties settings, String main, String... jvmArgs) throws IOException {
        return start(name, settings, Map.of(), main, jvmArgs);
    }

    /** As {@link #start(String, Properties, String, String...)}, with environment variables for the job. */
    Job start(String name, Properties settings, Map<String, String> env, String main, String... jvmArgs)
            throws IOException {
        Path config = writeConfig(name, settings);
        Path log = Path.of("target", "fault-" + scenario + "-" + name + ".log");
        Path gcLog = Path.of("target", "fault-" + scenario + "-" + name + ".gc.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "--add-modules=jdk.incubator.vector",
                "-Xlog:gc:file=" + gcLog));
        command.addAll(List.of(jvmArgs));
        if (command.stream().noneMatch(arg -> arg.startsWith("-Xmx"))) {
            command.add("-Xmx512m");
        }
        command.addAll(
                List.of("-cp", System.getProperty("java.class.path"), main, "run", "--config", config.toString()));
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OPT_OUT_TRACKING", "true");
        builder.environment().putAll(env);
        Job job = new Job(name, builder.start(), log, gcLog);
        jobs.add(job);
        return job;
    }

    /**
     * Starts the job exactly as the container image and the StatefulSet would: the Dockerfile's
     * ENTRYPOINT (its jar path pointed at {@code target/clipguard.jar}, with the libraries beside it) and
     * its {@code JAVA_TOOL_OPTIONS}, the StatefulSet's {@code JDK_JAVA_OPTIONS} and {@code run --config}
     * arguments. {@code containerMemory} stands in for the container's memory limit ({@code
     * -XX:MaxRAM}: what the JVM sizes a percentage heap from), the one thing a test machine cannot give.
     */
    Job startAsContainer(String name, Properties settings, String containerMemory) throws IOException {
        Path config = writeConfig(name, settings);
        Path log = Path.of("target", "fault-" + scenario + "-" + name + ".log");
        ContainerCommand shipped = ContainerCommand.read();
        List<String> command = new ArrayList<>();
        for (String arg : shipped.entrypoint()) {
            command.add(
                    arg.equals("java")
                            ? Path.of(System.getProperty("java.home"), "bin", "java")
                                    .toString()
                            : arg.equals(ContainerCommand.IMAGE_JAR) ? "target/clipguard.jar" : arg);
        }
        command.addAll(shipped.args().subList(0, shipped.args().size() - 1));
        command.add(config.toString()); // the ConfigMap's file, here
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(shipped.imageEnv());
        builder.environment().put("JDK_JAVA_OPTIONS", shipped.jdkJavaOptions() + " -XX:MaxRAM=" + containerMemory);
        builder.environment().put("POD_NAME", name);
        Job job = new Job(name, builder.start(), log, Path.of("target", "none.gc.log"));
        jobs.add(job);
        return job;
    }

    private Path writeConfig(String name, Properties settings) throws IOException {
        Path config = work.resolve(name + ".properties");
        if (!settings.containsKey("state.dir")) {
            settings.setProperty("state.dir", work.resolve("state-" + name).toString());
        }
        try (Writer out = Files.newBufferedWriter(config)) {
            settings.store(out, scenario);
        }
        return config;
    }

    Job start(String name, Properties settings) throws IOException {
        return start(name, settings, "io.clipguard.cli.Main");
    }

    synchronized UploadProducer producer() {
        if (producer == null) {
            producer = new UploadProducer(bootstrap, registry, topics.get("uploads"));
        }
        return producer;
    }

    OutcomeReader reader() {
        if (reader == null) {
            reader = new OutcomeReader(
                    bootstrap,
                    registry,
                    topics.get("scored"),
                    topics.get("flagged"),
                    topics.get("dlq"),
                    topics.get("shadow"));
        }
        return reader;
    }

    /** Sends {@code count} good inline uploads at {@code perSecond}, ids {@code prefix-0...}. */
    void sendGood(String prefix, int count, double perSecond) {
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            if (!Pacing.awaitSlot(start, i, perSecond)) {
                return;
            }
            send(UploadProducer.inline(prefix + "-" + i, images.get(i % images.size()), "image/png"));
        }
        producer().flush();
    }

    /** Sends one upload and waits for its outcome: the job is up and owns its partitions. Not timed. */
    void warmUp(String name) {
        int before = reader().awaitDistinct(0, Duration.ZERO).perUpload().size();
        send(UploadProducer.inline("warmup-" + name, images.get(0), "image/png"));
        producer().flush();
        if (reader().awaitDistinct(before + 1, Duration.ofSeconds(120))
                        .perUpload()
                        .size()
                <= before) {
            throw new AssertionError("the job did not decide a first upload within 120 s");
        }
    }

    /**
     * Sends one event that is not an upload and waits for its dead letter: the job is up, and has
     * not looked up the upload schema yet.
     */
    void warmUpWithoutReadingAnUpload() {
        int before = reader().awaitDistinct(0, Duration.ZERO).deadLetters().size();
        sendRaw("warmup", new byte[] {0, 0, 0});
        producer().flush();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (reader().drain(Duration.ofMillis(200)).deadLetters().size() <= before) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the job did not dead-letter a first event within 120 s");
            }
        }
    }

    /** A good inline upload: sample image {@code i}. */
    UploadedImage goodUpload(String id, int i) {
        return UploadProducer.inline(id, images.get(i % images.size()), "image/png");
    }

    /** Sends good uploads on a thread of their own. */
    Thread sendGoodInBackground(String prefix, int count, double perSecond) {
        Thread thread = new Thread(() -> sendGood(prefix, count, perSecond), "uploads-" + scenario);
        thread.start();
        return thread;
    }

    /** Sends an event that is not an upload (or not readable as one), keyed {@code key}. */
    void sendRaw(String key, byte[] event) {
        rawKeys.add(key);
        producer().sendRaw(key, event);
    }

    void send(UploadedImage upload) {
        sentAt.put(upload.getUploadId(), Instant.now());
        producer().send(upload, true);
    }

    /**
     * Waits until every upload sent has an outcome (failing at the timeout, naming what is missing),
     * then until nothing new has come for 3 s, to catch a late duplicate.
     */
    OutcomeReader.Outcomes awaitAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        OutcomeReader.Outcomes outcomes = reader().drain(Duration.ofMillis(200));
        List<String> missing = missing(outcomes);
        while (!missing.isEmpty() && System.nanoTime() < deadline) {
            outcomes = reader().drain(Duration.ofMillis(200));
            missing = missing(outcomes);
        }
        if (!missing.isEmpty()) {
            throw new AssertionError("no outcome within " + timeout + " for " + missing.size() + " uploads, e.g. "
                    + missing.stream().limit(10).toList());
        }
        return reader().drainUntilQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30));
    }

    private List<String> missing(OutcomeReader.Outcomes outcomes) {
        Map<String, Integer> perUpload = perUpload(outcomes);
        return sentAt.keySet().stream().filter(id -> !perUpload.containsKey(id)).toList();
    }

    /** Outcomes per upload id as sent (cut ids mapped back), keyless dead letters as "null". */
    private Map<String, Integer> perUpload(OutcomeReader.Outcomes outcomes) {
        Map<String, Integer> perUpload = new java.util.HashMap<>();
        outcomes.perUpload().forEach((id, count) -> perUpload.merge(sentId(id), count, Integer::sum));
        return perUpload;
    }

    /**
     * The slowest outcome of the uploads in {@code sent}: from the send to when the broker appended its
     * outcome (the outputs are {@code LogAppendTime}), so a commit held up by a broker restart or a
     * fenced producer counts. An upload with no outcome counts as a year: a lost upload never makes the
     * figure smaller.
     */
    static Duration slowest(OutcomeReader.Outcomes outcomes, Map<String, Instant> sent) {
        Map<String, Long> appendedAt = new java.util.HashMap<>();
        for (ConsumerRecord<String, ModerationResult> scored : outcomes.scored()) {
            appendedAt.merge(sentIdIn(sent.keySet(), scored.value().getUploadId()), scored.timestamp(), Math::max);
        }
        for (ConsumerRecord<String, ModerationError> failed : outcomes.deadLetters()) {
            String id = String.valueOf(failed.value().getUploadId());
            appendedAt.merge(sentIdIn(sent.keySet(), id), failed.timestamp(), Math::max);
        }
        long worst = 0;
        for (Map.Entry<String, Instant> upload : sent.entrySet()) {
            if (upload.getKey().startsWith("warmup")) {
                continue;
            }
            Long appended = appendedAt.get(upload.getKey());
            long millis = appended == null
                    ? Duration.ofDays(365).toMillis()
                    : appended - upload.getValue().toEpochMilli();
            worst = Math.max(worst, millis);
        }
        return Duration.ofMillis(worst);
    }

    /**
     * Asserts the invariant under exactly_once_v2, on what a {@code read_committed} consumer saw: every
     * upload sent has exactly one outcome (scored or dead-lettered), none is lost, nothing else was
     * written; each upload scored as flagged is on the flagged topic exactly once and nothing else is;
     * no upload is on the shadow topic twice; the slowest outcome, to its append on the broker, is
     * within {@code bound}; every job the scenario did not stop is alive. Reports the figures either way.
     */
    OutcomeReader.Outcomes assertExactlyOnce(OutcomeReader.Outcomes outcomes, Duration bound) throws IOException {
        long duplicates = assertNoneLost(outcomes, bound);
        assertEquals(0, duplicates, "uploads decided twice");
        assertFlaggedAndShadowOnce(outcomes);
        return outcomes;
    }

    /**
     * The invariant under at_least_once: every upload sent has at least one outcome, none is lost,
     * nothing else was written, the slowest outcome is within {@code bound}, the jobs the scenario did
     * not stop are alive. Doubles are reported, not failed: at_least_once allows them after a crash.
     */
    OutcomeReader.Outcomes assertAtLeastOnce(OutcomeReader.Outcomes outcomes, Duration bound) throws IOException {
        assertNoneLost(outcomes, bound);
        return outcomes;
    }

    /** What both guarantees promise; reports the scenario's figures and returns the doubles it saw. */
    private long assertNoneLost(OutcomeReader.Outcomes outcomes, Duration bound) throws IOException {
        Map<String, Integer> perUpload = perUpload(outcomes);
        perUpload.remove("null"); // dead letters of keyless events that could not be read carry no upload id
        perUpload.keySet().removeAll(rawKeys); // those of keyed ones carry the key
        long duplicates =
                perUpload.values().stream().mapToLong(count -> count - 1).sum();
        List<String> lost = missing(outcomes);
        Duration slowest = slowest(outcomes, sentAt);
        report(outcomes.decided(), duplicates, lost.size(), slowest);
        assertEquals(List.of(), lost.stream().limit(10).toList(), "uploads with no outcome (" + lost.size() + ")");
        assertEquals(sentAt.keySet(), perUpload.keySet(), "outcomes only for uploads that were sent");
        assertTrue(
                slowest.compareTo(bound) <= 0,
                "slowest outcome " + slowest.toMillis() + " ms, bound " + bound.toMillis() + " ms");
        for (Job job : jobs) {
            assertTrue(job.stopped || job.alive(), job.name + " is alive at the end");
        }
        return duplicates;
    }

    /** The flagged topic holds each flagged result exactly once, and nothing else; the shadow, no doubles. */
    private void assertFlaggedAndShadowOnce(OutcomeReader.Outcomes outcomes) {
        Map<String, Long> flaggedCount = new java.util.HashMap<>();
        outcomes.flagged().forEach(r -> flaggedCount.merge(r.value().getUploadId(), 1L, Long::sum));
        java.util.Set<String> scoredFlagged = new java.util.HashSet<>();
        outcomes.scored().stream()
                .filter(r -> r.value().getFlagged())
                .forEach(r -> scoredFlagged.add(r.value().getUploadId()));
        assertEquals(scoredFlagged, flaggedCount.keySet(), "the flagged topic holds exactly the flagged results");
        assertTrue(
                flaggedCount.values().stream().allMatch(count -> count == 1),
                "flagged twice: "
                        + flaggedCount.entrySet().stream()
                                .filter(e -> e.getValue() > 1)
                                .limit(5)
                                .toList());
        Map<String, Long> shadowCount = new java.util.HashMap<>();
        outcomes.shadow().forEach(r -> shadowCount.merge(r.value().getUploadId(), 1L, Long::sum));
        assertTrue(shadowCount.values().stream().allMatch(count -> count == 1), "a shadow result written twice");
        java.util.Set<String> scored = new java.util.HashSet<>();
        outcomes.scored().forEach(r -> scored.add(r.value().getUploadId()));
        assertTrue(scored.containsAll(shadowCount.keySet()), "a shadow result only for an upload scored");
    }

    private static final Pattern CUT = Pattern.compile("(?s)(.*)\\.\\.\\.\\[cut from (\\d+) bytes]");

    /** The id sent for an outcome's id: an id too large for its topic comes back cut, with a marker. */
    String sentId(String outcomeId) {
        return sentIdIn(sentAt.keySet(), outcomeId);
    }

    private static String sentIdIn(java.util.Set<String> sent, String outcomeId) {
        Matcher cut = CUT.matcher(outcomeId);
        if (!cut.matches()) {
            return outcomeId;
        }
        int bytes = Integer.parseInt(cut.group(2));
        return sent.stream()
                .filter(id -> id.startsWith(cut.group(1)) && id.getBytes(StandardCharsets.UTF_8).length == bytes)
                .findFirst()
                .orElse(outcomeId);
    }

    private void report(int outcomes, long duplicates, long lost, Duration slowest) throws IOException {
        long peakHeap = jobs.stream().mapToLong(Job::peakHeapMb).max().orElse(-1);
        String line = String.format(
                "| %s | %d | %d | %d | %d | %.1f s | %d MB |%n",
                scenario, sentAt.size(), outcomes, duplicates, lost, slowest.toMillis() / 1000.0, peakHeap);
        System.out.print("fault scenario: " + line);
        if (!Files.exists(REPORT)) {
            Files.writeString(
                    REPORT,
                    "| scenario | uploads sent | outcomes | duplicates | lost | slowest outcome"
                            + " | peak heap (job) |\n|---|---|---|---|---|---|---|\n",
                    StandardCharsets.UTF_8);
        }
        Files.writeString(REPORT, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Asserts that nothing was dead-lettered, naming what was. */
    static void assertNoDeadLetters(OutcomeReader.Outcomes outcomes) {
        assertEquals(
                0, outcomes.deadLetters().size(), deadLetterReasons(outcomes).toString());
    }

    /** The dead letters with their reasons, by upload id (null ids as "null"). */
    static Map<String, String> deadLetterReasons(OutcomeReader.Outcomes outcomes) {
        Map<String, String> reasons = new java.util.HashMap<>();
        outcomes.deadLetters()
                .forEach(r -> reasons.put(
                        String.valueOf(r.value().getUploadId()), r.value().getReason()));
        return reasons;
    }

    @Override
    public void close() throws Exception {
        for (Job job : jobs) {
            if (job.alive()) {
                job.process.destroy();
                job.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
                job.process.destroyForcibly();
            }
        }
        if (producer != null) {
            producer.close();
        }
        if (reader != null) {
            reader.close();
        }
    }
}
