package io.clipguard.console;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed session cookies and the CSRF tokens that go with them. A session is the signed-in name, the
 * role, an expiry and a random nonce, signed with HMAC-SHA256 under the configured secret: any console
 * instance with the same secret accepts it, and nothing about it is kept in memory. A session's CSRF
 * token is the HMAC of its nonce, so a form from another site cannot carry it. Thread-safe.
 */
public final class Sessions {

    /** The signed-in user. */
    public record Session(String user, boolean admin, long expiresAtMs, String nonce) {}

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final Duration lifetime;
    private final Clock clock;

    public Sessions(byte[] secret, Duration lifetime, Clock clock) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** A random secret, for a console whose configuration has none. */
    public static byte[] randomSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /** A new session for {@code user}. */
    public Session open(String user, boolean admin) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return new Session(user, admin, clock.millis() + lifetime.toMillis(), B64.encodeToString(nonce));
    }

    /** The cookie value of a session. */
    public String cookie(Session session) {
        String body = B64.encodeToString(
                (session.user() + "\n" + session.admin() + "\n" + session.expiresAtMs() + "\n" + session.nonce())
                        .getBytes(StandardCharsets.UTF_8));
        return body + "." + sign("session|" + body);
    }

    /** The session a cookie value carries, if it is well formed, signed by us and not expired. */
    public Optional<Session> read(String cookie) {
        if (cookie == null || cookie.length() > 1024) {
            return Optional.empty();
        }
        int dot = cookie.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String body = cookie.substring(0, dot);
        if (!constantTimeEquals(sign("session|" + body), cookie.substring(dot + 1))) {
            return Optional.empty();
        }
        try {
            String[] fields = new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8).split("\n", -1);
            if (fields.length != 4) {
                return Optional.empty();
            }
            long expires = Long.parseLong(fields[2]);
            if (clock.millis() >= expires) {
                return Optional.empty();
            }
            return Optional.of(new Session(fields[0], Boolean.parseBoolean(fields[1]), expires, fields[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The CSRF token of a session. */
    public String csrfToken(Session session) {
        return sign("csrf|" + session.nonce());
    }

    /** True when {@code token} is the session's CSRF token. */
    public boolean csrfMatches(Session session, String token) {
        return token != null && constantTimeEquals(csrfToken(session), token);
    }

    private String sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return B64.encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
