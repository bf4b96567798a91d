package io.clipguard.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The review console ({@code clipguard review}).
 *
 * <pre>
 * clipguard.review.bind=127.0.0.1                # the console's address ...
 * clipguard.review.port=8090                     # ... and port
 * clipguard.review.lease-ms=300000               # a claim holds an item this long, then it returns to its queue
 * clipguard.review.undo-ms=10000                 # how long a reviewer can undo a decision
 * clipguard.review.keep-decided-ms=3024000000     # decided items are remembered 35 days (past the flagged topic's retention)
 * clipguard.review.session-secret=               # signs sessions and CSRF tokens: the same on every instance,
 *                                                # at least 32 characters; unset: a random one (sessions end on restart)
 * clipguard.review.session-ms=43200000           # a sign-in lasts this long
 * clipguard.review.secure-cookies=false          # true behind HTTPS
 * clipguard.review.blur=true                     # wellness defaults: images blurred ...
 * clipguard.review.greyscale=true                # ... and in greyscale until revealed
 * clipguard.review.user.NAME.password=pbkdf2-sha256$...   # from: clipguard review --hash-password
 * clipguard.review.user.NAME.role=reviewer       # or admin (admins also publish policies)
 * clipguard.review.user.NAME.blur=false          # a reviewer's own wellness defaults
 * clipguard.review.user.NAME.greyscale=false
 * clipguard.review.proxy-header=                 # e.g. X-Forwarded-User: trust an authenticating proxy's header ...
 * clipguard.review.trusted-proxies=127.0.0.1/32  # ... on requests from these addresses only
 * clipguard.review.application-id=               # the claims processor's Kafka Streams id (default: application.id + "-review")
 * clipguard.topic.reviews=moderation.reviews     # review decisions (what clipguard tune reads)
 * clipguard.topic.review-requests=review.requests
 * clipguard.topic.review-replies=review.replies
 * clipguard.topic.review-queues=review.queues
 * clipguard.topic.review-audit=review.audit
 * </pre>
 */
public record ReviewConfig(
        String bind,
        int port,
        Duration lease,
        Duration undo,
        Duration keepDecided,
        Optional<String> sessionSecret,
        Duration session,
        boolean secureCookies,
        boolean blur,
        boolean greyscale,
        Map<String, User> users,
        Optional<String> proxyHeader,
        List<String> trustedProxies,
        Optional<String> applicationId,
        Topics topics) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** A configured user: a password hash (none for proxy-only users), a role and wellness defaults. */
    public record User(String name, Optional<String> passwordHash, boolean admin, boolean blur, boolean greyscale) {}

    /** The console's topics. */
    public record Topics(String reviews, String requests, String replies, String queues, String audit) {}

    public ReviewConfig {
        users = Map.copyOf(users);
        trustedProxies = List.copyOf(trustedProxies);
    }

    static ReviewConfig read(Settings settings) {
        boolean blur = settings.flag("review.blur", true);
        boolean greyscale = settings.flag("review.greyscale", true);
        Optional<String> secret = Optional.ofNullable(settings.text("review.session-secret", null));
        if (secret.isPresent() && secret.get().length() < 32) {
            throw new ConfigException(
                    ConfigLoader.PREFIX + "review.session-secret is too short: use at least 32 random characters");
        }
        String proxies = settings.text("review.trusted-proxies", "127.0.0.1/32");
        return new ReviewConfig(
                settings.text("review.bind", "127.0.0.1"),
                settings.intInRange("review.port", 8090, 0, 65535),
                Duration.ofMillis(settings.positiveLong("review.lease-ms", 300_000)),
                Duration.ofMillis(settings.positiveLong("review.undo-ms", 10_000)),
                Duration.ofMillis(settings.positiveLong("review.keep-decided-ms", 35L * 24 * 3600_000)),
                secret,
                Duration.ofMillis(settings.positiveLong("review.session-ms", 12 * 3600_000L)),
                settings.flag("review.secure-cookies", false),
                blur,
                greyscale,
                users(settings.under("review.user."), blur, greyscale),
                Optional.ofNullable(settings.text("review.proxy-header", null)),
                List.of(proxies.split("\\s*,\\s*")),
                Optional.ofNullable(settings.text("review.application-id", null)),
                new Topics(
                        settings.text("topic.reviews", "moderation.reviews"),
                        settings.text("topic.review-requests", "review.requests"),
                        settings.text("topic.review-replies", "review.replies"),
                        settings.text("topic.review-queues", "review.queues"),
                        settings.text("topic.review-audit", "review.audit")));
    }

    private static Map<String, User> users(Map<String, String> keys, boolean blur, boolean greyscale) {
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        keys.forEach((key, value) -> {
            int dot = key.lastIndexOf('.');
            String name = dot < 0 ? "" : key.substring(0, dot);
            String field = key.substring(dot + 1);
            if (!NAME.matcher(name).matches()
                    || !List.of("password", "role", "blur", "greyscale").contains(field)) {
                throw new ConfigException(ConfigLoader.PREFIX + "review.user." + key
                        + " is not valid: use review.user.NAME.password|role|blur|greyscale, NAME of letters,"
                        + " digits and ._@- (at most 64)");
            }
            byName.computeIfAbsent(name, n -> new LinkedHashMap<>()).put(field, value);
        });
        Map<String, User> users = new LinkedHashMap<>();
        byName.forEach((name, fields) -> {
            String role = fields.getOrDefault("role", "reviewer");
            if (!role.equals("reviewer") && !role.equals("admin")) {
                throw new ConfigException(ConfigLoader.PREFIX + "review.user." + name + ".role=" + role
                        + " is not valid: use reviewer or admin");
            }
            users.put(
                    name,
                    new User(
                            name,
                            Optional.ofNullable(fields.get("password")),
                            role.equals("admin"),
                            flag(name, "blur", fields, blur),
                            flag(name, "greyscale", fields, greyscale)));
        });
        return users;
    }

    private static boolean flag(String name, String field, Map<String, String> fields, boolean fallback) {
        String value = fields.get(field);
        if (value == null) {
            return fallback;
        }
        if (!value.equals("true") && !value.equals("false")) {
            throw new ConfigException(ConfigLoader.PREFIX + "review.user." + name + "." + field + "=" + value
                    + " is not valid: use true or false");
        }
        return value.equals("true");
    }
}
