package io.clipguard.it;

import io.clipguard.avro.KnownContentMatch;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.console.Passwords;
import io.clipguard.local.FlaggedUploads;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.serde.AvroSerdes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

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
    private final FlaggedUploads flags;

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
        flags = new FlaggedUploads(bootstrap, registry, uploads, flagged);
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
        flags.flag(uploadId, queue, image, decidedAt);
    }

    /** Flags an upload whose image matched a bank entry. */
    void flag(String uploadId, String queue, byte[] image, Instant decidedAt, KnownContentMatch match)
            throws Exception {
        flags.flag(uploadId, queue, image, decidedAt, List.of(match));
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
        flags.close();
    }
}
