package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.LocalImageServer;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image hosts that answer slowly, drip bytes, or never answer, among a steady stream of good inline
 * uploads: the good ones must not wait for them, each slow one ends within its fetch deadline, and
 * no URI is fetched more than the configured attempts.
 */
class SlowImageHostIT {

    private static final Duration FETCH_DEADLINE = Duration.ofSeconds(8);

    @TempDir
    Path work;

    @Test
    void aSlowHostDelaysOnlyItsOwnUploads() throws Exception {
        byte[] png = Files.readAllBytes(Path.of("models/tiny-clip/samples")
                .resolve(Files.list(Path.of("models/tiny-clip/samples"))
                        .filter(p -> p.toString().endsWith(".png"))
                        .findFirst()
                        .orElseThrow()
                        .getFileName()));
        Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
        try (LocalImageServer host = new LocalImageServer();
                FaultRun run = new FaultRun(
                        "slowhost",
                        SharedKafka.get().bootstrapServers(),
                        LocalSchemaRegistry.shared().url().toString(),
                        work,
                        3,
                        (short) 1)) {
            host.handle("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
                try {
                    if (path.startsWith("/slow/")) {
                        Thread.sleep(1_500); // slow, but inside the read timeout
                    } else if (path.startsWith("/never/")) {
                        Thread.sleep(60_000);
                    } else if (path.startsWith("/drip/")) {
                        exchange.sendResponseHeaders(200, 1_000_000);
                        OutputStream body = exchange.getResponseBody();
                        for (int i = 0; i < 120; i++) {
                            body.write(0);
                            body.flush();
                            Thread.sleep(500);
                        }
                        return;
                    }
                    exchange.sendResponseHeaders(200, png.length);
                    exchange.getResponseBody().write(png);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.io.IOException e) {
                    // the fetcher gave up and closed the connection
                } finally {
                    exchange.close();
                }
            });
            Properties settings = run.settings();
            settings.setProperty("clipguard.input.fetch.schemes", "http");
            settings.setProperty("clipguard.input.fetch.allowed-networks", "127.0.0.1/32");
            settings.setProperty("clipguard.input.fetch.allowed-ports", "*");
            settings.setProperty("clipguard.input.fetch.connect-timeout-ms", "1000");
            settings.setProperty("clipguard.input.fetch.read-timeout-ms", "2000");
            settings.setProperty("clipguard.input.fetch.timeout-ms", "4000");
            settings.setProperty("clipguard.input.fetch.deadline-ms", String.valueOf(FETCH_DEADLINE.toMillis()));
            settings.setProperty("clipguard.input.fetch.max-attempts", "3");
            FaultRun.Job job = run.start("job", settings);
            run.warmUp("job");

            Thread good = run.sendGoodInBackground("good", 300, 40);
            for (int i = 0; i < 4; i++) {
                for (String kind : new String[] {"slow", "drip", "never", "ok"}) {
                    run.send(
                            byUri(kind + "-" + i, host.uri("/" + kind + "/" + i).toString()));
                }
                Thread.sleep(1_000);
            }
            good.join();
            run.producer().flush();
            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, FETCH_DEADLINE.plus(Duration.ofSeconds(6)));

            Map<String, Instant> goodSent = run.sentAt.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("good-") || e.getKey().startsWith("ok-"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            Duration slowestGood = FaultRun.slowest(outcomes, goodSent);
            System.out.println("slow host: slowest good upload " + slowestGood.toMillis() + " ms");
            assertTrue(
                    slowestGood.compareTo(Duration.ofSeconds(5)) <= 0,
                    "good uploads waited for the slow host: " + slowestGood.toMillis() + " ms");
            Map<String, String> deadLetters = FaultRun.deadLetterReasons(outcomes);
            for (int i = 0; i < 4; i++) {
                assertEquals("FETCH_FAILED", deadLetters.get("drip-" + i));
                assertEquals("FETCH_FAILED", deadLetters.get("never-" + i));
                assertFalse(deadLetters.containsKey("slow-" + i), "a slow but working host is scored");
            }
            requests.forEach((path, count) -> assertTrue(count.get() <= 3, path + " fetched " + count + " times"));
            assertTrue(job.alive());
            String log = Files.readString(job.log);
            assertFalse(
                    log.contains("InvalidProducerEpochException")
                            || log.contains("ProducerFencedException")
                            || log.contains("TaskMigratedException"),
                    "the producer was fenced: see " + job.log);
        }
    }

    private static UploadedImage byUri(String id, String uri) {
        return UploadedImage.newBuilder(UploadProducer.inline(id, null, "image/png"))
                .setImageUri(uri)
                .build();
    }
}
