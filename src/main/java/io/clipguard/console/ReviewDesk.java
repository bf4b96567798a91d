package io.clipguard.console;

import io.clipguard.avro.KnownContentMatch;
import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationResult;
import io.clipguard.config.ReviewConfig;
import io.clipguard.review.Item;
import io.clipguard.review.QueueDepth;
import io.clipguard.review.ReviewReply;
import io.clipguard.review.ReviewRequest;
import io.clipguard.review.Verdict;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reviewer's pages: the queues, claiming, an item, deciding, undoing. Every change goes to the
 * claims processor through the {@link ClaimClient} and is shown only once it is committed. What this
 * class keeps in memory (the items its reviewers claimed here) only saves a round trip: a page asked of
 * another console instance asks the processor instead.
 */
final class ReviewDesk {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    private static final int MAX_KEPT_CLAIMS = 10_000;

    private final ClaimClient claims;
    private final QueueBoard board;
    private final ReviewItems items;
    private final Pages pages;
    private final ReviewConfig config;
    private final Clock clock;
    private final Map<String, Item> claimedHere = new ConcurrentHashMap<>();

    ReviewDesk(ClaimClient claims, QueueBoard board, ReviewItems items, Pages pages, ReviewConfig config, Clock clock) {
        this.claims = claims;
        this.board = board;
        this.items = items;
        this.pages = pages;
        this.config = config;
        this.clock = clock;
    }

    void queues(Http http, Map<String, Object> model) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        long now = clock.millis();
        int key = 1;
        for (QueueDepth depth : board.depths().values()) {
            if (depth.depth() == 0) {
                continue;
            }
            Map<String, Object> row = new HashMap<>();
            row.put("key", key <= 9 ? String.valueOf(key) : "");
            row.put("name", depth.queue());
            row.put("waiting", depth.waiting());
            row.put("empty", depth.waiting() == 0);
            row.put("claimed", depth.claimed());
            row.put("oldest", depth.oldestFlaggedAtMs() == 0 ? "" : age(now - depth.oldestFlaggedAtMs()));
            rows.add(row);
            key++;
        }
        model.put("title", "Queues");
        model.put("queues", rows);
        http.query("m").map(ReviewDesk::flash).ifPresent(flash -> model.put("flash", flash));
        http.html(200, pages.render("queues", model));
    }

    void claim(Http http, Sessions.Session session) throws IOException, Http.Refused {
        String queue = Text.queue(http.form("queue").orElse(null));
        ReviewReply reply = ask(claims.request(
                ReviewRequest.Kind.CLAIM,
                session.user(),
                queue,
                null,
                UUID.randomUUID().toString(),
                null));
        if (!reply.ok()) {
            throw new Http.Refused(409, reply.message());
        }
        keep(reply.item());
        http.redirect(itemPath(reply.item()));
    }

    void item(Http http, Map<String, Object> model, Sessions.Session session, String queue, String claimId)
            throws IOException, Http.Refused {
        Item item = held(session, queue, claimId);
        ReviewItems.Loaded loaded = items.load(item)
                .orElseThrow(() -> new Http.Refused(410, "the flagged result of this item is gone from the topic"));
        ModerationResult result = loaded.result();
        ReviewConfig.User user = config.users().get(session.user());
        boolean reveal = http.query("reveal").isPresent();
        boolean blur = !reveal && (user == null ? config.blur() : user.blur());
        boolean grey = !reveal && (user == null ? config.greyscale() : user.greyscale());
        model.put("title", queue + " · " + result.getUploadId());
        model.put("queue", queue);
        model.put("uploadId", result.getUploadId());
        if (loaded.image().isPresent()) {
            model.put("image", itemPath(item) + "/image");
        }
        model.put("imageProblem", loaded.imageProblem());
        model.put("blur", blur);
        model.put("greyscale", grey);
        model.put("hidden", blur || grey);
        model.put("revealHref", reveal ? itemPath(item) : itemPath(item) + "?reveal=1");
        model.put("action", result.getAction());
        model.put("rule", result.getDecidingLabel() == null ? "a bank match" : result.getDecidingLabel());
        model.put("policyId", result.getPolicyId());
        model.put("policyVersion", result.getPolicyVersion());
        model.put("modelId", result.getModelId());
        model.put("modelVersion", result.getModelVersion());
        model.put("leaseUntil", TIME.format(Instant.ofEpochMilli(item.leaseUntilMs())));
        if (result.getShadowDecision() != null) {
            model.put("shadow", true);
            model.put(
                    "shadowPolicy",
                    result.getShadowDecision().getPolicyId() + " v"
                            + result.getShadowDecision().getPolicyVersion());
            model.put("shadowAction", result.getShadowDecision().getAction());
            model.put("shadowLabel", result.getShadowDecision().getDecidingLabel());
        }
        model.put("banks", banks(result));
        model.put("labels", labels(result));
        List<Map<String, Object>> attributes = new ArrayList<>();
        new java.util.TreeMap<>(result.getAttributes())
                .forEach((name, value) -> attributes.add(Map.of("name", name, "value", value)));
        model.put("attributes", attributes);
        model.put("decideAction", itemPath(item) + "/decide");
        http.html(200, pages.render("item", model));
    }

    void image(Http http, Sessions.Session session, String queue, String claimId) throws IOException, Http.Refused {
        // right after its page asked the claims processor, the image need not ask again: within the lease
        Item kept = claimedHere.get(claimId);
        Item item = kept != null
                        && kept.reviewer().equals(session.user())
                        && kept.queue().equals(queue)
                        && kept.heldUnder(claimId, clock.millis())
                ? kept
                : held(session, queue, claimId);
        byte[] image = items.load(item)
                .flatMap(ReviewItems.Loaded::image)
                .orElseThrow(() -> new Http.Refused(404, "no image"));
        String type = ImageType.of(image).orElseThrow(() -> new Http.Refused(415, "not an image a browser shows"));
        // the bytes are an uploader's: never run as anything but an image, never kept by the browser
        http.exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; sandbox");
        http.exchange.getResponseHeaders().set("Content-Disposition", "inline");
        http.send(200, type, image);
    }

    void decide(Http http, Sessions.Session session, String queue, String claimId) throws IOException, Http.Refused {
        Item item = held(session, queue, claimId);
        String verdictField = http.form("verdict").orElse("");
        if (verdictField.equals("skip")) {
            ReviewReply reply = ask(
                    claims.request(ReviewRequest.Kind.RELEASE, session.user(), queue, item.uploadId(), claimId, null));
            if (!reply.ok()) {
                throw new Http.Refused(409, reply.message());
            }
            claimedHere.remove(claimId);
            http.redirect("/?m=released");
            return;
        }
        if (!verdictField.equals("violation") && !verdictField.equals("ok")) {
            throw new Http.Refused(400, "the verdict must be violation, ok or skip");
        }
        boolean violation = verdictField.equals("violation");
        ModerationResult result = items.load(item)
                .orElseThrow(() -> new Http.Refused(410, "the flagged result of this item is gone from the topic"))
                .result();
        List<String> labels =
                result.getLabels().stream().map(LabelScore::getLabel).toList();
        String label = http.form("label").filter(value -> !value.isEmpty()).orElse(null);
        if (violation && (label == null || !labels.contains(label))) {
            throw new Http.Refused(400, "a violation needs one of the policy's labels");
        }
        String note = Text.note(http.form("note").orElse(null));
        Verdict verdict = new Verdict(
                violation, violation ? label : null, labels, note, result.getPolicyId(), result.getPolicyVersion());
        ReviewReply reply = ask(
                claims.request(ReviewRequest.Kind.DECIDE, session.user(), queue, item.uploadId(), claimId, verdict));
        if (!reply.ok()) {
            throw new Http.Refused(409, reply.message());
        }
        keep(reply.item());
        http.redirect(itemPath(item) + "/decided?u=" + encode(item.uploadId()) + "&v="
                + (violation ? "violation&l=" + encode(label) : "ok"));
    }

    void decided(Http http, Map<String, Object> model, Sessions.Session session, String queue, String claimId)
            throws IOException, Http.Refused {
        String uploadId = http.query("u").orElse("");
        String label = http.query("l").map(Text::shown).orElse("");
        model.put("title", "Decided");
        model.put("uploadId", uploadId);
        model.put("summary", http.query("v").orElse("").equals("violation") ? "Violation: " + label : "No violation.");
        model.put("queue", queue);
        model.put("undoAction", "/item/" + encode(queue) + "/" + claimId + "/undo");
        model.put("undoSeconds", config.undo().toSeconds());
        http.html(200, pages.render("decided", model));
    }

    void undo(Http http, Sessions.Session session, String queue, String claimId) throws IOException, Http.Refused {
        // the claims processor checks that the claim, the upload and the reviewer belong together
        String uploadId = http.form("upload")
                .filter(id -> !id.isEmpty() && id.length() <= 10_000)
                .orElseThrow(() -> new Http.Refused(400, "which upload's decision to undo?"));
        ReviewReply reply =
                ask(claims.request(ReviewRequest.Kind.UNDO, session.user(), queue, uploadId, claimId, null));
        if (!reply.ok()) {
            throw new Http.Refused(409, reply.message());
        }
        keep(reply.item());
        http.redirect(itemPath(reply.item()));
    }

    /**
     * The item the reviewer holds under the claim, as the claims processor says now (it changes
     * nothing); refused when they no longer hold it.
     */
    private Item held(Sessions.Session session, String queue, String claimId) throws Http.Refused {
        ReviewReply reply = ask(claims.request(ReviewRequest.Kind.LOOKUP, session.user(), queue, null, claimId, null));
        if (!reply.ok()) {
            throw new Http.Refused(409, reply.message());
        }
        keep(reply.item());
        return reply.item();
    }

    private ReviewReply ask(ReviewRequest request) throws Http.Refused {
        try {
            return claims.ask(request);
        } catch (ClaimClient.NoAnswerException e) {
            throw new Http.Refused(503, e.getMessage() + "; it was not carried out: try again");
        }
    }

    private void keep(Item item) {
        if (item == null) {
            return;
        }
        if (claimedHere.size() >= MAX_KEPT_CLAIMS) {
            long now = clock.millis();
            claimedHere.values().removeIf(kept -> kept.leaseUntilMs() < now);
        }
        claimedHere.put(item.claimId(), item);
    }

    private static List<Map<String, Object>> labels(ModerationResult result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int key = 1;
        for (LabelScore score : result.getLabels()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("key", key <= 9 ? String.valueOf(key) : "");
            row.put("id", score.getLabel());
            row.put("score", String.format(Locale.ROOT, "%.3f", score.getScore()));
            row.put("threshold", String.format(Locale.ROOT, "%.3f", score.getThreshold()));
            row.put("fired", score.getFired());
            row.put("action", score.getAction());
            row.put("deciding", score.getLabel().equals(result.getDecidingLabel()));
            rows.add(row);
            key++;
        }
        return rows;
    }

    private static List<Map<String, Object>> banks(ModerationResult result) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (KnownContentMatch match : result.getBankMatches()) {
            rows.add(Map.of(
                    "bank", match.getBank(),
                    "version", match.getBankVersion(),
                    "action", match.getAction(),
                    "entry", match.getEntryId(),
                    "distance", match.getDistance()));
        }
        return rows;
    }

    static String itemPath(Item item) {
        return "/item/" + encode(item.queue()) + "/" + item.claimId();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String flash(String code) {
        return switch (code) {
            case "released" -> "The item went back to its queue.";
            case "published" -> "Published.";
            default -> null;
        };
    }

    private static String age(long millis) {
        Duration age = Duration.ofMillis(Math.max(0, millis));
        if (age.toHours() >= 48) {
            return age.toDays() + " d";
        }
        if (age.toMinutes() >= 120) {
            return age.toHours() + " h";
        }
        if (age.toSeconds() >= 120) {
            return age.toMinutes() + " min";
        }
        return age.toSeconds() + " s";
    }
}
