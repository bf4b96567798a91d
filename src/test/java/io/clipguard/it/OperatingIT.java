package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.app.ModerationApp;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalKafka;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.SampleImages;
import io.clipguard.local.UploadProducer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management endpoints of a job on a real broker (its own, so it can be taken away) and registry:
 * live and ready while starting, running, with the broker gone and with the client stopped under it,
 * and every metric family after a few uploads.
 */
class OperatingIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    @Test
    void healthFollowsTheJobAndMetricsCarryEveryFamily() throws Exception {
        LocalKafka kafka = LocalKafka.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        String registry = LocalSchemaRegistry.shared().url().toString();
        List<String> topics =
                List.of("ops-uploads-" + run, "ops-scored-" + run, "ops-flagged-" + run, "ops-dlq-" + run);
        kafka.createTopics(1, topics);
        int port = freePort();
        Properties settings = new Properties();
        settings.setProperty("application.id", "ops-" + run);
        settings.setProperty("bootstrap.servers", kafka.bootstrapServers());
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", work.resolve("state").toString());
        settings.setProperty("clipguard.topic.uploads", topics.get(0));
        settings.setProperty("clipguard.topic.scored", topics.get(1));
        settings.setProperty("clipguard.topic.flagged", topics.get(2));
        settings.setProperty("clipguard.topic.dlq", topics.get(3));
        settings.setProperty("clipguard.management.port", String.valueOf(port));

        AtomicReference<ModerationApp> started = new AtomicReference<>();
        Thread starter = new Thread(() -> started.set(ModerationApp.start(ConfigLoader.from(settings))));
        starter.start();
        int firstReady = awaitStatus(port, "/health/ready", code -> code > 0);
        assertEquals(503, firstReady, "not ready while the model loads and the group forms");
        assertEquals(200, get(port, "/health/live").statusCode(), "live while starting");
        awaitStatus(port, "/health/ready", code -> code == 200);
        starter.join();
        ModerationApp app = started.get();
        try {
            try (UploadProducer producer = new UploadProducer(kafka.bootstrapServers(), registry, topics.get(0));
                    OutcomeReader reader = new OutcomeReader(
                            kafka.bootstrapServers(), registry, topics.get(1), topics.get(2), topics.get(3))) {
                List<SampleImages.Sample> samples = SampleImages.load(Path.of("models/tiny-clip/samples"));
                for (int i = 0; i < 6; i++) {
                    producer.send(
                            UploadProducer.inline(
                                    "ops-" + i,
                                    Files.readAllBytes(samples.get(i).file()),
                                    "image/png"),
                            true);
                }
                producer.sendRaw("broken", new byte[] {0, 0, 0});
                producer.flush();
                assertEquals(7, reader.awaitDecided(7, Duration.ofSeconds(60)).decided());
            }
            String metrics = get(port, "/metrics").body();
            if (System.getenv("CLIPGUARD_DUMP_METRICS") != null) {
                Files.writeString(Path.of(System.getenv("CLIPGUARD_DUMP_METRICS")), metrics);
            }
            for (String family : List.of(
                    "clipguard_batch_size_bucket",
                    "clipguard_queue_wait_seconds_bucket",
                    "clipguard_encode_seconds_bucket",
                    "clipguard_end_to_end_latency_seconds_bucket",
                    "clipguard_decisions_total",
                    "clipguard_dead_letters_total",
                    "clipguard_fetch_attempts_total",
                    "clipguard_fetch_failures_total",
                    "clipguard_policy_versions_applied_total",
                    "clipguard_policy_versions_rejected_total",
                    "clipguard_policy_in_force",
                    "clipguard_in_flight_bytes",
                    "kafka_stream_thread_process_rate",
                    "kafka_stream_thread_commit_rate",
                    "kafka_stream_alive_stream_threads",
                    "kafka_consumer_fetch_manager_records_lag")) {
                assertTrue(metrics.contains(family), "/metrics has " + family);
            }
            assertEquals(6, sum(metrics, "clipguard_decisions_total\\{[^}]*policy=\"tiny-shapes\"[^}]*}"), 0.1);
            assertEquals(1, sum(metrics, "clipguard_dead_letters_total\\{reason=\"MALFORMED_EVENT\"[^}]*}"), 0.1);
            assertTrue(sum(metrics, "clipguard_batch_size_count") >= 1);
            assertEquals(6, sum(metrics, "clipguard_end_to_end_latency_seconds_count"), 0.1);
            assertTrue(
                    metrics.contains(
                            "clipguard_policy_in_force{policy=\"tiny-shapes\",role=\"live\",version=\"1\"} 1.0"),
                    "the version in force");

            kafka.close(); // the broker goes away
            awaitStatus(port, "/health/ready", code -> code == 503);
            assertEquals(200, get(port, "/health/live").statusCode(), "a missing broker is no reason to restart");

            app.streams().close(Duration.ofSeconds(10)); // the client stops without being told to by us
            awaitStatus(port, "/health/live", code -> code == 503);
            assertEquals(503, get(port, "/health/ready").statusCode());
        } finally {
            app.close();
        }
    }

    private static double sum(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+-]+)$").matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }

    private static int awaitStatus(int port, String path, IntPredicate wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            int code = statusOrZero(port, path);
            if (wanted.test(code)) {
                return code;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(path + " did not reach the expected status within 90 s");
    }

    private static int statusOrZero(int port, String path) {
        try {
            return get(port, path).statusCode();
        } catch (Exception e) {
            return 0; // not listening yet
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
