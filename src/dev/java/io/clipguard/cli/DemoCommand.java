package io.clipguard.cli;

import io.clipguard.app.ModerationApp;
import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.local.LocalStack;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.SampleImages;
import io.clipguard.local.SampleImages.Sample;
import io.clipguard.local.UploadProducer;
import io.clipguard.model.ModelBundle;
import io.clipguard.topology.TopicNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import picocli.CommandLine.Command;

/**
 * {@code demo}: starts a real local broker and schema registry, runs the moderation job with the tiny
 * model and its policy, publishes sample uploads (plus a few broken ones), prints what was decided,
 * and stops.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Starts a local broker and registry, runs the job with the tiny model on sample uploads,"
                + " prints what was decided, and stops.")
final class DemoCommand implements Callable<Integer> {

    private static final Path MODEL = Path.of("models/tiny-clip");
    private static final Path POLICY = Path.of("deploy/policies/tiny-shapes.yaml");
    private static final int SAMPLES = 24;

    @Override
    public Integer call() throws Exception {
        run();
        return 0;
    }

    static void run() throws Exception {
        TopicNames topics = TopicNames.DEFAULTS;
        ModelBundle.load(MODEL); // fail fast, before starting anything, if the bundle is broken
        say("Starting a local Kafka broker (KRaft) and a local schema registry on 127.0.0.1 ...");
        try (LocalStack stack = LocalStack.start(topics, 3)) {
            say("Broker at " + stack.bootstrapServers() + ", registry at " + stack.registryUrl());
            AppConfig config = ConfigLoader.from(settings(stack));
            say("Loading model " + MODEL + " and policy " + POLICY + " ...");
            try (ModerationApp app = ModerationApp.start(config);
                    UploadProducer producer =
                            new UploadProducer(stack.bootstrapServers(), stack.registryUrl(), topics.uploads());
                    OutcomeReader reader = new OutcomeReader(
                            stack.bootstrapServers(),
                            stack.registryUrl(),
                            topics.scored(),
                            topics.flagged(),
                            topics.dlq())) {
                app.awaitRunning(Duration.ofSeconds(60));
                Map<String, String> shown = publish(producer);
                say("Published " + shown.size() + " uploads to '" + topics.uploads() + "'; waiting for decisions ...");
                OutcomeReader.Outcomes outcomes = reader.awaitDecided(shown.size(), Duration.ofSeconds(120));
                print(shown, outcomes);
            }
        }
        say("Stopped.");
    }

    private static Properties settings(LocalStack stack) throws IOException {
        Properties settings = new Properties();
        settings.setProperty("application.id", "clipguard-demo");
        settings.setProperty("bootstrap.servers", stack.bootstrapServers());
        settings.setProperty("schema.registry.url", stack.registryUrl());
        settings.setProperty(
                "state.dir", Files.createTempDirectory("clipguard-demo-state").toString());
        settings.setProperty("clipguard.model.dir", MODEL.toString());
        settings.setProperty("clipguard.management.port", "0"); // the demo must not need a free port 8080
        settings.setProperty("clipguard.policy.file", POLICY.toString());
        return settings;
    }

    /** Sends sample uploads and broken ones; returns what each upload shows, by upload id. */
    private static Map<String, String> publish(UploadProducer producer) throws IOException {
        Map<String, String> shown = new LinkedHashMap<>();
        List<Sample> samples = SampleImages.load(MODEL.resolve("samples"));
        for (Sample sample : spreadOut(samples)) {
            String id = String.format("upload-%03d", shown.size() + 1);
            byte[] image = Files.readAllBytes(sample.file());
            producer.send(UploadProducer.inline(id, image, contentType(sample.file())), true);
            shown.put(
                    id,
                    sample.size() + " " + sample.pattern() + " " + sample.colorAndShape()
                            + (sample.heldOut() ? " (never seen in training)" : ""));
        }
        byte[] jpeg = Files.readAllBytes(samples.stream()
                .filter(s -> s.file().toString().endsWith(".jpg"))
                .findFirst()
                .orElse(samples.get(0))
                .file());
        String truncated = String.format("upload-%03d", shown.size() + 1);
        producer.send(UploadProducer.inline(truncated, Arrays.copyOf(jpeg, jpeg.length / 3), "image/jpeg"), true);
        shown.put(truncated, "a JPEG cut off after a third of its bytes");
        String text = String.format("upload-%03d", shown.size() + 1);
        producer.send(UploadProducer.inline(text, "hello".getBytes(StandardCharsets.UTF_8), "image/png"), false);
        shown.put(text, "a text file labelled image/png, sent without a key");
        producer.sendRaw("not-an-event", "this is not Avro".getBytes(StandardCharsets.UTF_8));
        shown.put("(no id)", "bytes that are not an upload event at all");
        producer.flush();
        return shown;
    }

    /** Every n-th sample, so the demo shows a mix of shapes, colours and seen and unseen pairs. */
    private static List<Sample> spreadOut(List<Sample> samples) {
        int step = Math.max(1, samples.size() / SAMPLES);
        return java.util.stream.IntStream.range(0, Math.min(SAMPLES, samples.size()))
                .mapToObj(i -> samples.get(i * step % samples.size()))
                .toList();
    }

    private static String contentType(Path file) {
        return file.toString().endsWith(".png") ? "image/png" : "image/jpeg";
    }

    private static void print(Map<String, String> shown, OutcomeReader.Outcomes outcomes) {
        System.out.printf(
                "%n%-10s %-58s %-7s %-12s %6s  %s%n",
                "UPLOAD", "IMAGE SHOWS", "ACTION", "LABEL", "SCORE", "REVIEW QUEUE");
        Map<String, ModerationResult> scored = outcomes.scored().stream()
                .collect(Collectors.toMap(ConsumerRecord::key, ConsumerRecord::value, (a, b) -> a));
        for (Map.Entry<String, String> upload : shown.entrySet()) {
            ModerationResult result = scored.get(upload.getKey());
            if (result != null) {
                System.out.printf(
                        "%-10s %-58s %-7s %-12s %6s  %s%n",
                        upload.getKey(),
                        upload.getValue(),
                        result.getAction(),
                        nullToDash(result.getDecidingLabel()),
                        topScore(result),
                        nullToDash(result.getReviewQueue()));
            }
        }
        for (ConsumerRecord<String, ModerationError> dead : outcomes.deadLetters()) {
            ModerationError error = dead.value();
            String id = error.getUploadId() == null ? "(no id)" : error.getUploadId();
            System.out.printf(
                    "%-10s %-58s %-7s %s: %s%n",
                    id,
                    shown.getOrDefault(id, "?"),
                    "DLQ",
                    error.getReason(),
                    error.getMessage().length() > 70
                            ? error.getMessage().substring(0, 70) + "..."
                            : error.getMessage());
        }
        Map<String, Long> queues = outcomes.flagged().stream()
                .collect(Collectors.groupingBy(ConsumerRecord::key, java.util.TreeMap::new, Collectors.counting()));
        System.out.printf(
                "%n%d uploads: %d scored, %d flagged for review queues %s, %d dead-lettered.%n",
                shown.size(),
                outcomes.scored().size(),
                outcomes.flagged().size(),
                queues,
                outcomes.deadLetters().size());
    }

    private static String topScore(ModerationResult result) {
        return result.getLabels().stream()
                .filter(score -> score.getLabel().equals(result.getDecidingLabel()))
                .findFirst()
                .map(score -> String.format("%.2f", score.getScore()))
                .orElse("-");
    }

    private static String nullToDash(String text) {
        return text == null ? "-" : text;
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
    }
}
