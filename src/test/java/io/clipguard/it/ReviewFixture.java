package io.clipguard.it;

import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.avro.ShadowDecision;
import io.clipguard.avro.Timings;
import io.clipguard.avro.UploadSource;
import io.clipguard.avro.UploadedImage;
import io.clipguard.console.Passwords;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.serde.AvroSerdes;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A review console's surroundings on the shared broker and registry: topics of its own, flagged
 * results (real Avro, each naming a real upload event with a real image), users with hashed
 * passwords, and a browser-less HTTP client that keeps cookies and finds CSRF tokens.
 */
final class ReviewFixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery staple";
    static final List<String> REVIEWERS = List.of("alice", "bob", "carol", "dave");
    static final String ADMIN = "root";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String HASH = Passwords.hash(PASSWORD.toCharArray());

    final String run = UUID.randomUUID().toString().substring(0, 8);
    final String bootstrap = SharedKafka.get().bootstrapServers();
    final String registry = LocalSchemaRegistry.shared().url().toString();
    final String uploads = "uploads-" + run;
    final String scored = "scored-" + run;
    final String flagged = "flagged-" + run;
    final String dlq = "dlq-" + run;
    final String reviews = "reviews-" + run;
    final String audit = "review-audit-" + run;
    final String policies = "policies-" + run;
    final Path dir;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<UploadedImage> uploadSerializer;
    private final Serializer<ModerationResult> resultSerializer;

    ReviewFixture(Path dir, int flaggedPartitions) throws Exception {
        this.dir = dir;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(uploads, 3, (short) 1),
                            new NewTopic(scored, 3, (short) 1),
                            new NewTopic(flagged, flaggedPartitions, (short) 1),
                            new NewTopic(dlq, 1, (short) 1),
                            new NewTopic(policies, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", "all");
        producer = new KafkaProducer<>(
                settings, new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer());
        Map<String, String> serde = Map.of("schema.registry.url", registry);
        uploadSerializer = AvroSerdes.forClass(UploadedImage.class, serde, null).serializer();
        resultSerializer =
                AvroSerdes.forClass(ModerationResult.class, serde, null).serializer();
    }

    /** The console's (and the job's) settings: users alice..dave (reviewers) and root (admin). */
    Properties settings(Duration lease) {
        Properties settings = new Properties();
        settings.setProperty("application.id", "it-review-" + run);
        settings.setProperty("bootstrap.servers", bootstrap);
        settings.setProperty("schema.registry.url", registry);
        settings.setProperty("state.dir", dir.resolve("state").toString());
        settings.setProperty("session.timeout.ms", "6000");
        settings.setProperty("heartbeat.interval.ms", "1000");
        settings.setProperty("clipguard.topic.uploads", uploads);
        settings.setProperty("clipguard.topic.scored", scored);
        settings.setProperty("clipguard.topic.flagged", flagged);
        settings.setProperty("clipguard.topic.dlq", dlq);
        settings.setProperty("clipguard.topic.policy", policies);
        settings.setProperty("clipguard.topic.reviews", reviews);
        settings.setProperty("clipguard.topic.review-requests", "review-requests-" + run);
        settings.setProperty("clipguard.topic.review-replies", "review-replies-" + run);
        settings.setProperty("clipguard.topic.review-queues", "review-queues-" + run);
        settings.setProperty("clipguard.topic.review-audit", audit);
        settings.setProperty("clipguard.model.dir", "models/tiny-clip");
        settings.setProperty("clipguard.management.port", "0");
        settings.setProperty("clipguard.policy.file", "deploy/policies/tiny-shapes.yaml");
        settings.setProperty("clipguard.review.port", "0");
        settings.setProperty("clipguard.review.lease-ms", String.valueOf(lease.toMillis()));
        settings.setProperty("clipguard.review.session-secret", "it-secret-it-secret-it-secret-it-secret");
        for (String reviewer : REVIEWERS) {
            settings.setProperty("clipguard.review.user." + reviewer + ".password", HASH);
        }
        settings.setProperty("clipguard.review.user." + ADMIN + ".password", HASH);
        settings.setProperty("clipguard.review.user." + ADMIN + ".role", "admin");
        settings.setProperty("clipguard.review.user.bob.blur", "false");
        return settings;
    }

    Path write(Properties settings, String name) throws IOException {
        Path file = dir.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            settings.store(out, null);
        }
        return file;
    }

    /** Flags an upload: its event (with the image inline) on the uploads topic, its result on the flagged one. */
    void flag(String uploadId, String queue, byte[] image, Instant decidedAt) throws Exception {
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId(uploadId)
                .setUploadedAt(decidedAt)
                .setContentType("image/png")
                .setImageBytes(ByteBuffer.wrap(image))
                .setAttributes(Map.of("uploader", "u-" + uploadId, "surface", "profile"))
                .build();
        RecordMetadata event = producer.send(
                        new ProducerRecord<>(uploads, uploadId, uploadSerializer.serialize(uploads, upload)))
                .get();
        boolean symbols = queue.equals("symbols");
        ModerationResult result = ModerationResult.newBuilder()
                .setUploadId(uploadId)
                .setFlagged(true)
                .setAction(symbols ? "block" : "review")
                .setDecidingLabel(symbols ? "red_star" : "cross")
                .setReviewQueue(queue)
                .setLabels(List.of(
                        new LabelScore("red_star", symbols ? 0.81 : 0.05, 0.5, symbols, "block"),
                        new LabelScore("cross", symbols ? 0.02 : 0.77, 0.5, !symbols, "review"),
                        new LabelScore("star", 0.01, 0.5, false, "allow")))
                .setModelId("tiny-clip")
                .setModelVersion("1")
                .setPolicyId("tiny-shapes")
                .setPolicyVersion("1")
                .setUploadedAt(decidedAt)
                .setDecidedAt(decidedAt)
                .setTimings(new Timings(1.0, 1.0, 1.0, 1.0))
                .setAttributes(upload.getAttributes())
                .setSource(new UploadSource(uploads, event.partition(), event.offset()))
                .setShadowDecision(new ShadowDecision("tiny-shapes-candidate", "2", "allow", null))
                .build();
        producer.send(new ProducerRecord<>(flagged, queue, resultSerializer.serialize(flagged, result)))
                .get();
    }

    /** Every record on a topic as a read_committed consumer sees it: key and raw value (null: tombstone). */
    List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("isolation.level", "read_committed");
        settings.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The review decisions on the reviews topic (tombstones as null), in order per partition. */
    List<ReviewDecision> decisions() {
        Deserializer<ReviewDecision> values = AvroSerdes.forClass(
                        ReviewDecision.class, Map.of("schema.registry.url", registry), null)
                .deserializer();
        List<ReviewDecision> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : readAll(reviews)) {
            out.add(record.value() == null ? null : values.deserialize(reviews, record.value()));
        }
        return out;
    }

    @Override
    public void close() {
        producer.close();
    }

    /** A signed-in browser without a browser: cookies kept, redirects not followed, forms posted. */
    static final class Reviewer {
        private final HttpClient http;
        private final String base;
        final String name;

        Reviewer(int port, String name) {
            this.http = HttpClient.newBuilder()
                    .cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            this.base = "http://127.0.0.1:" + port;
            this.name = name;
        }

        static Reviewer signedIn(int port, String name) throws Exception {
            Reviewer reviewer = new Reviewer(port, name);
            HttpResponse<String> response = reviewer.post("/login", Map.of("user", name, "password", PASSWORD), false);
            if (response.statusCode() != 303) {
                throw new AssertionError("sign-in as " + name + " answered " + response.statusCode());
            }
            return reviewer;
        }

        HttpResponse<String> get(String path) throws IOException, InterruptedException {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        }

        /** Posts a form, with this session's CSRF token (read from the queue page) unless {@code csrf} is false. */
        HttpResponse<String> post(String path, Map<String, String> form, boolean csrf)
                throws IOException, InterruptedException {
            StringBuilder body = new StringBuilder();
            if (csrf) {
                body.append("csrf=").append(enc(csrfToken()));
            }
            form.forEach((key, value) -> body.append(body.length() == 0 ? "" : "&")
                    .append(enc(key))
                    .append('=')
                    .append(enc(value)));
            return postRaw(path, body.toString());
        }

        HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private String csrf;

        String csrfToken() throws IOException, InterruptedException {
            if (csrf == null) {
                Matcher found = CSRF.matcher(get("/").body());
                if (!found.find()) {
                    throw new AssertionError("no CSRF token on the queue page");
                }
                csrf = found.group(1);
            }
            return csrf;
        }

        /** Claims the next item of a queue: the item page's path, or null when the queue is empty. */
        String claim(String queue) throws IOException, InterruptedException {
            HttpResponse<String> response = post("/claim", Map.of("queue", queue), true);
            if (response.statusCode() == 409) {
                return null;
            }
            if (response.statusCode() != 303) {
                throw new AssertionError("claim answered " + response.statusCode() + ": " + response.body());
            }
            return response.headers().firstValue("Location").orElseThrow();
        }

        static String enc(String text) {
            return URLEncoder.encode(text, StandardCharsets.UTF_8);
        }
    }
}
