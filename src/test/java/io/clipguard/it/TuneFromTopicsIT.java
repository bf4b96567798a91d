package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.LabelScore;
import io.clipguard.avro.LabelVerdict;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.avro.Timings;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.tuning.PlantedDisparity;
import io.clipguard.tuning.Review;
import io.clipguard.tuning.ReviewedUpload;
import io.clipguard.tuning.ScoredUpload;
import io.clipguard.tuning.ShadowBySlice;
import io.clipguard.tuning.SliceAudit;
import io.clipguard.tuning.SyntheticReviews;
import io.clipguard.tuning.Target;
import io.clipguard.tuning.TopicSnapshot;
import io.clipguard.tuning.Tuner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The tuning loop fed from Kafka: scored results and review decisions (Avro, through the real schema
 * registry) read back from their topics, joined and tuned.
 */
class TuneFromTopicsIT {

    @Test
    void tunesFromScoredResultsAndReviewDecisionsOnTopics() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        Map<String, Object> serdeConfig =
                Map.of("schema.registry.url", LocalSchemaRegistry.shared().url().toString());
        String scoredTopic = "scored-" + run;
        String reviewsTopic = "reviews-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(
                            List.of(new NewTopic(scoredTopic, 3, (short) 1), new NewTopic(reviewsTopic, 2, (short) 1)))
                    .all()
                    .get();
        }
        Serde<ModerationResult> results = AvroSerdes.forClass(ModerationResult.class, serdeConfig, null);
        Serde<ReviewDecision> decisions = AvroSerdes.forClass(ReviewDecision.class, serdeConfig, null);
        List<ReviewedUpload> synthetic = SyntheticReviews.generate(1500, 11);
        try (KafkaProducer<String, ModerationResult> scored = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), results.serializer());
                KafkaProducer<String, ReviewDecision> reviews = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), decisions.serializer())) {
            for (ReviewedUpload upload : synthetic) {
                String id = upload.scored().uploadId();
                scored.send(new ProducerRecord<>(scoredTopic, id, result(upload)));
                reviews.send(new ProducerRecord<>(reviewsTopic, id, decision(upload)));
            }
        }

        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        List<ReviewedUpload> joined = ReviewedUpload.join(
                TopicSnapshot.scored(scoredTopic, client, results.deserializer()),
                TopicSnapshot.reviews(reviewsTopic, client, decisions.deserializer()));
        assertEquals(1500, joined.size());
        Policy policy = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");
        Tuner.Result result = Tuner.tune(policy, joined, new Target(Target.Metric.PRECISION, 0.9, 1.645));
        assertTrue(result.labels().get(0).recommended().orElseThrow().precision() >= 0.9);
        assertTrue(result.eceAfter() < result.eceBefore());
    }

    /**
     * The audit by slice reads what {@code tune --slice} reads: scored results with their attributes,
     * review decisions, and the shadow topic's results, through the real registry.
     */
    @Test
    void findsThePlantedDisparityAndTheShadowPolicysChangesOnTopics() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = SharedKafka.get().bootstrapServers();
        Map<String, Object> serdeConfig =
                Map.of("schema.registry.url", LocalSchemaRegistry.shared().url().toString());
        String scoredTopic = "scored-" + run;
        String reviewsTopic = "reviews-" + run;
        String shadowTopic = "shadow-" + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(scoredTopic, 3, (short) 1),
                            new NewTopic(reviewsTopic, 2, (short) 1),
                            new NewTopic(shadowTopic, 1, (short) 1)))
                    .all()
                    .get();
        }
        Serde<ModerationResult> results = AvroSerdes.forClass(ModerationResult.class, serdeConfig, null);
        Serde<ReviewDecision> decisions = AvroSerdes.forClass(ReviewDecision.class, serdeConfig, null);
        List<ReviewedUpload> planted = PlantedDisparity.generate();
        try (KafkaProducer<String, ModerationResult> scored = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), results.serializer());
                KafkaProducer<String, ReviewDecision> reviews = new KafkaProducer<>(
                        Map.of("bootstrap.servers", bootstrap), new StringSerializer(), decisions.serializer())) {
            for (ReviewedUpload upload : planted) {
                String id = upload.scored().uploadId();
                scored.send(new ProducerRecord<>(scoredTopic, id, result(upload.scored())));
                reviews.send(new ProducerRecord<>(reviewsTopic, id, decision(upload)));
                boolean feed = upload.scored().attributes().get("surface").equals("feed");
                if (feed && upload.scored().fired().get("bad")) { // a shadow policy that stops firing there
                    ScoredUpload s = upload.scored();
                    scored.send(new ProducerRecord<>(
                            shadowTopic,
                            id,
                            result(new ScoredUpload(
                                    id, "5", s.scores(), Map.of("bad", false), s.attributes(), s.decidedAt()))));
                }
            }
        }

        Properties client = new Properties();
        client.setProperty("bootstrap.servers", bootstrap);
        List<ScoredUpload> live = TopicSnapshot.scored(scoredTopic, client, results.deserializer());
        List<Review> reviewed = TopicSnapshot.reviews(reviewsTopic, client, decisions.deserializer());
        List<ScoredUpload> shadow = TopicSnapshot.scored(shadowTopic, client, results.deserializer());
        Policy policy = PolicyLoader.parse(SyntheticReviews.POLICY, "synthetic.yaml");

        List<SliceAudit.LabelSlices> audits = SliceAudit.audit(
                policy,
                ReviewedUpload.join(live, reviewed),
                List.of("surface"),
                SliceAudit.Settings.DEFAULTS,
                new Target(Target.Metric.PRECISION, 0.9, 1.645));
        Map<String, SliceAudit.Verdict> verdicts = new java.util.TreeMap<>();
        audits.get(0).slices().forEach(slice -> verdicts.put(slice.value(), slice.verdict()));
        assertEquals(
                Map.of(
                        "feed", SliceAudit.Verdict.DIFFERS,
                        "profile", SliceAudit.Verdict.WITHIN,
                        "messages", SliceAudit.Verdict.WITHIN,
                        "kiosk", SliceAudit.Verdict.TOO_FEW),
                verdicts);

        ShadowBySlice.Result changes =
                ShadowBySlice.compare(policy, live, shadow, reviewed, List.of("surface"), SliceAudit.Settings.DEFAULTS);
        assertEquals(planted.size(), changes.uploads());
        assertEquals(210, changes.differing());
        assertEquals(List.of("5"), changes.shadowVersions());
    }

    private static ModerationResult result(ReviewedUpload upload) {
        return result(upload.scored());
    }

    private static ModerationResult result(ScoredUpload upload) {
        List<LabelScore> labels = upload.scores().entrySet().stream()
                .map(e -> new LabelScore(
                        e.getKey(),
                        e.getValue(),
                        0.5,
                        upload.fired().getOrDefault(e.getKey(), e.getValue() >= 0.5),
                        "review"))
                .toList();
        return ModerationResult.newBuilder()
                .setUploadId(upload.uploadId())
                .setFlagged(false)
                .setAction("allow")
                .setLabels(labels)
                .setModelId("synthetic")
                .setModelVersion("1")
                .setPolicyId("synthetic")
                .setPolicyVersion(upload.policyVersion())
                .setUploadedAt(Instant.EPOCH)
                .setDecidedAt(upload.decidedAt())
                .setTimings(new Timings(0.0, 0.0, 0.0, 0.0))
                .setAttributes(upload.attributes())
                .build();
    }

    private static ReviewDecision decision(ReviewedUpload upload) {
        return ReviewDecision.newBuilder()
                .setUploadId(upload.scored().uploadId())
                .setVerdicts(upload.verdicts().entrySet().stream()
                        .map(e -> new LabelVerdict(e.getKey(), e.getValue()))
                        .toList())
                .setReviewer("synthetic")
                .setDecidedAt(Instant.now())
                .build();
    }
}
