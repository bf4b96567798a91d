package io.clipguard.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ReviewDecision;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.review.AuditEntry;
import io.clipguard.tuning.PolicyPatch;
import io.clipguard.tuning.PrCurve;
import io.clipguard.tuning.PrPlot;
import io.clipguard.tuning.ReliabilityPlot;
import io.clipguard.tuning.ReviewedUpload;
import io.clipguard.tuning.ScoredUpload;
import io.clipguard.tuning.Target;
import io.clipguard.tuning.TopicSnapshot;
import io.clipguard.tuning.Tuner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The tune pages: what {@code clipguard tune} computes from the scored and reviews topics, per policy,
 * with plots; and, for admins, publishing the tuned thresholds as the shadow policy and promoting the
 * shadow to live, both through the policy topic the pipeline hot-reloads from, both audited.
 */
final class TuneDesk implements AutoCloseable {

    private static final Duration FRESH = Duration.ofSeconds(3);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private record Key(String policyId, Target.Metric metric, double value) {}

    private record Tuned(PolicyTexts.Text policy, Tuner.Result result, Target target, long computedAtMs) {}

    private final PolicyTexts policies;
    private final Properties client;
    private final String scoredTopic;
    private final String reviewsTopic;
    private final Deserializer<ModerationResult> results;
    private final Deserializer<ReviewDecision> decisions;
    private final Pages pages;
    private final Publisher publisher;
    private final Clock clock;
    private final Map<Key, Tuned> recent = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Tuned> eldest) {
            return size() > 16;
        }
    };

    TuneDesk(
            PolicyTexts policies,
            Properties client,
            String scoredTopic,
            String reviewsTopic,
            Deserializer<ModerationResult> results,
            Deserializer<ReviewDecision> decisions,
            Pages pages,
            Publisher publisher,
            Clock clock) {
        this.policies = policies;
        this.client = client;
        this.scoredTopic = scoredTopic;
        this.reviewsTopic = reviewsTopic;
        this.results = results;
        this.decisions = decisions;
        this.pages = pages;
        this.publisher = publisher;
        this.clock = clock;
    }

    String liveId() {
        return policies.liveId();
    }

    void page(Http http, Map<String, Object> model, Sessions.Session session, String policyId)
            throws IOException, Http.Refused {
        Target target = target(
                http.query("metric").orElse("precision"), http.query("value").orElse("0.9"));
        Tuned tuned = tuned(policyId, target);
        model.put("title", "Tune " + policyId);
        model.put("policies", policyLinks(policyId));
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("id", policyId);
        policy.put("precision", target.metric() == Target.Metric.PRECISION);
        policy.put("metric", target.metric().name().toLowerCase(Locale.ROOT));
        policy.put("target", format(target.value()));
        policy.put("reviewed", tuned.result().reviewedUploads());
        policy.put("temperatureFactor", format(tuned.result().temperatureFactor()));
        policy.put("eceBefore", format(tuned.result().eceBefore()));
        policy.put("eceAfter", format(tuned.result().eceAfter()));
        List<Map<String, Object>> labels = new ArrayList<>();
        for (Tuner.LabelTuning label : tuned.result().labels()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", label.label().id());
            row.put("policyId", policyId);
            row.put("metric", policy.get("metric"));
            row.put("target", policy.get("target"));
            row.put("positives", label.curve().positives());
            row.put("negatives", label.curve().negatives());
            row.put("current", format(label.label().threshold()));
            Optional<PrCurve.Point> point = label.recommended();
            row.put("recommended", point.map(p -> format(p.threshold())).orElse("none reaches the target"));
            row.put("precision", point.map(p -> format(p.precision())).orElse(""));
            row.put("recall", point.map(p -> format(p.recall())).orElse(""));
            labels.add(row);
        }
        policy.put("labels", labels);
        policy.put("admin", session.admin() && policyId.equals(policies.liveId()));
        policies.shadowId().ifPresent(shadow -> policy.put("shadowId", shadow));
        model.put("policy", policy);
        http.query("m")
                .filter("published"::equals)
                .ifPresent(m -> model.put("flash", "Published to the policy topic."));
        http.html(200, pages.render("tune", model));
    }

    void prPlot(Http http, String policyId, String label) throws IOException, Http.Refused {
        Target target = target(
                http.query("metric").orElse("precision"), http.query("value").orElse("0.9"));
        Tuned tuned = tuned(policyId, target);
        Tuner.LabelTuning tuning = tuned.result().labels().stream()
                .filter(l -> l.label().id().equals(label))
                .findFirst()
                .orElseThrow(() -> new Http.Refused(404, "no such label"));
        png(http, file -> PrPlot.write(file, label, tuning.curve(), target, tuning.recommended()));
    }

    void calibrationPlot(Http http, String policyId) throws IOException, Http.Refused {
        Tuner.Result result = tuned(policyId, new Target(Target.Metric.PRECISION, 0.9, Target.zFor(0.95)))
                .result();
        png(
                http,
                file -> ReliabilityPlot.write(
                        file, result.pairsBefore(), result.pairsAfter(), result.eceBefore(), result.eceAfter()));
    }

    /** Publishes the live policy with its tuned thresholds as the shadow policy: a confirmation first. */
    void publish(Http http, Map<String, Object> model, Sessions.Session session, String policyId)
            throws IOException, Http.Refused {
        if (!policyId.equals(policies.liveId())) {
            throw new Http.Refused(400, "only the live policy's thresholds are published as a shadow");
        }
        String shadowId = policies.shadowId()
                .orElseThrow(() -> new Http.Refused(
                        409, "the job scores no shadow policy (clipguard.policy.shadow-file): nothing to publish to"));
        String topic = policyTopic();
        String metric = http.form("metric").orElse("precision");
        String value = http.form("value").orElse("0.9");
        Target target = target(metric, value);
        Tuned tuned = tuned(policyId, target);
        if (tuned.result().reviewedUploads() == 0) {
            throw new Http.Refused(409, "no reviewed upload yet: nothing to tune on");
        }
        PolicyTexts.Text shadow = policies.current(shadowId).orElseThrow();
        String yaml = withIdAndVersion(
                PolicyPatch.apply(tuned.policy().yaml(), tuned.policy().policy(), tuned.result()),
                shadowId,
                nextVersion(shadow.policy().version(), tuned.policy().policy().version()));
        Policy candidate = PolicyLoader.parse(yaml, "the tuned policy");
        if (!confirmed(http, yaml)) {
            confirm(
                    http,
                    model,
                    "Publish as shadow policy " + shadowId,
                    "The live policy's thresholds tuned for " + metric + " >= " + value + " on "
                            + tuned.result().reviewedUploads() + " reviews, published as " + shadowId + " v"
                            + candidate.version() + ". The pipeline scores it beside the live policy.",
                    yaml,
                    "/tune/" + policyId + "/publish",
                    Map.of("metric", metric, "value", value),
                    "Publish shadow v" + candidate.version());
            return;
        }
        send(
                topic,
                candidate,
                yaml,
                session,
                "publish-shadow",
                "v" + candidate.version() + ", " + metric + " >= " + value + " on "
                        + tuned.result().reviewedUploads() + " reviews");
        http.redirect("/tune/" + policyId + "?m=published");
    }

    /** Promotes the shadow policy to live: its thresholds under the live id, the next live version. */
    void promote(Http http, Map<String, Object> model, Sessions.Session session) throws IOException, Http.Refused {
        String shadowId = policies.shadowId()
                .orElseThrow(() -> new Http.Refused(409, "the job scores no shadow policy: nothing to promote"));
        String topic = policyTopic();
        PolicyTexts.Text shadow = policies.current(shadowId).orElseThrow();
        PolicyTexts.Text live = policies.current(policies.liveId()).orElseThrow();
        String yaml = withIdAndVersion(
                shadow.yaml(), live.policy().id(), nextVersion(live.policy().version(), "0"));
        Policy promoted = PolicyLoader.parse(yaml, "the promoted policy");
        if (!confirmed(http, yaml)) {
            confirm(
                    http,
                    model,
                    "Promote " + shadowId + " v" + shadow.policy().version() + " to live",
                    "The shadow policy becomes " + promoted.id() + " v" + promoted.version()
                            + ": every upload from now on is decided by it.",
                    yaml,
                    "/tune/promote",
                    Map.of(),
                    "Promote to live v" + promoted.version());
            return;
        }
        send(
                topic,
                promoted,
                yaml,
                session,
                "promote",
                "shadow " + shadowId + " v" + shadow.policy().version() + " -> live v" + promoted.version());
        http.redirect("/tune/" + promoted.id() + "?m=published");
    }

    private void send(String topic, Policy policy, String yaml, Sessions.Session session, String action, String detail)
            throws Http.Refused {
        try {
            publisher.publish(
                    topic,
                    policy.id(),
                    yaml,
                    new AuditEntry(clock.millis(), session.user(), action, policy.id(), null, detail));
        } catch (ExecutionException e) {
            throw new Http.Refused(
                    503, "could not publish to " + topic + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Http.Refused(503, "interrupted");
        }
        synchronized (this) {
            recent.clear();
        }
    }

    /**
     * True when the admin confirmed exactly this policy: the confirmation page carries the hash of the
     * text it showed. A policy that changed since (new reviews, another admin's publish) is shown again.
     */
    private static boolean confirmed(Http http, String yaml) throws Http.Refused {
        if (!http.form("confirm").orElse("").equals("yes")) {
            return false;
        }
        if (!http.form("shown").orElse("").equals(sha256(yaml))) {
            throw new Http.Refused(409, "the policy changed since it was shown to you: look at it again");
        }
        return true;
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void confirm(
            Http http,
            Map<String, Object> model,
            String heading,
            String explanation,
            String yaml,
            String action,
            Map<String, String> fields,
            String button)
            throws IOException {
        model.put("title", heading);
        model.put("heading", heading);
        model.put("explanation", explanation);
        model.put("yaml", yaml);
        model.put("action", action);
        List<Map<String, String>> hidden = new ArrayList<>();
        fields.forEach((name, value) -> hidden.add(Map.of("name", name, "value", value)));
        hidden.add(Map.of("name", "shown", "value", sha256(yaml)));
        model.put("fields", hidden);
        model.put("button", button);
        http.html(200, pages.render("confirm", model));
    }

    /** One computation at a time: each reads the scored and reviews topics whole. */
    private synchronized Tuned tuned(String policyId, Target target) throws Http.Refused {
        Key key = new Key(policyId, target.metric(), target.value());
        Tuned kept = recent.get(key);
        long now = clock.millis();
        if (kept != null && now - kept.computedAtMs() < FRESH.toMillis()) {
            return kept;
        }
        PolicyTexts.Text policy = policies.current(policyId).orElseThrow(() -> new Http.Refused(404, "no such policy"));
        List<ScoredUpload> scored = new ArrayList<>();
        TopicSnapshot.scored(scoredTopic, client, results).stream()
                .filter(upload -> upload.policyVersion() != null)
                .forEach(scored::add);
        List<ReviewedUpload> reviewed = ReviewedUpload.join(
                scored.stream()
                        .filter(upload -> hasLabelsOf(upload, policy.policy()))
                        .toList(),
                TopicSnapshot.reviews(reviewsTopic, client, decisions));
        Tuned tuned = new Tuned(policy, Tuner.tune(policy.policy(), reviewed, target), target, now);
        recent.put(key, tuned);
        return tuned;
    }

    private static boolean hasLabelsOf(ScoredUpload upload, Policy policy) {
        return policy.labels().stream().allMatch(label -> upload.scores().containsKey(label.id()));
    }

    private List<Map<String, Object>> policyLinks(String current) {
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(link(policies.liveId(), "live", current));
        policies.shadowId().ifPresent(id -> links.add(link(id, "shadow", current)));
        return links;
    }

    private Map<String, Object> link(String id, String role, String current) {
        String version =
                policies.current(id).map(text -> text.policy().version()).orElse("?");
        return Map.of("id", id, "role", role, "version", version, "current", id.equals(current));
    }

    private String policyTopic() throws Http.Refused {
        return policies.topic()
                .orElseThrow(() -> new Http.Refused(
                        409, "clipguard.topic.policy is not set: the pipeline takes policies up from files only"));
    }

    private static Target target(String metric, String value) throws Http.Refused {
        // rounded, so a page per third decimal at most: the computations are kept by target
        double fraction = Math.round(Text.fraction(value, "the target") * 1000) / 1000.0;
        if (fraction <= 0 || fraction >= 1) {
            throw new Http.Refused(400, "the target must be between 0.001 and 0.999");
        }
        return switch (metric) {
            case "precision" -> new Target(Target.Metric.PRECISION, fraction, Target.zFor(0.95));
            case "recall" -> new Target(Target.Metric.RECALL, fraction, Target.zFor(0.95));
            default -> throw new Http.Refused(400, "the target metric must be precision or recall");
        };
    }

    private static String withIdAndVersion(String yaml, String id, String version) throws IOException {
        ObjectNode root = (ObjectNode) YAML.readTree(yaml);
        root.put("id", id);
        root.put("version", version);
        return YAML.writeValueAsString(root);
    }

    /** A version after both: the next whole number where both are whole numbers. */
    private static String nextVersion(String a, String b) {
        if (a.matches("\\d{1,9}") && b.matches("\\d{1,9}")) {
            return String.valueOf(Math.max(Integer.parseInt(a), Integer.parseInt(b)) + 1);
        }
        return a + ".1";
    }

    private interface PlotWriter {
        void write(Path file) throws IOException;
    }

    private static void png(Http http, PlotWriter writer) throws IOException {
        Path file = Files.createTempFile("clipguard-plot", ".png");
        try {
            writer.write(file);
            http.send(200, "image/png", Files.readAllBytes(file));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    @Override
    public void close() {}
}
