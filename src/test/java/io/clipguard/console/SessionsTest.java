package io.clipguard.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionsTest {

    private static final byte[] SECRET = "a-secret-a-secret-a-secret-a-secret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final Sessions sessions = new Sessions(SECRET, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSignedCookieIsReadBackByAnyInstanceWithTheSameSecret() {
        Sessions.Session session = sessions.open("alice", true);
        Sessions other = new Sessions(SECRET, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        assertEquals(Optional.of(session), other.read(sessions.cookie(session)));
    }

    @Test
    void aCookieWithAnyChangeOrAnotherSecretIsRefused() {
        Sessions.Session session = sessions.open("alice", false);
        String cookie = sessions.cookie(session);
        String body = cookie.substring(0, cookie.indexOf('.'));
        String forgedBody = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8)
                        .replace("false", "true")
                        .getBytes(StandardCharsets.UTF_8));
        assertTrue(
                sessions.read(forgedBody + cookie.substring(cookie.indexOf('.')))
                        .isEmpty(),
                "made admin");
        assertTrue(sessions.read(cookie + "x").isEmpty());
        assertTrue(sessions.read("garbage").isEmpty());
        assertTrue(sessions.read("a".repeat(5000)).isEmpty());
        Sessions otherSecret =
                new Sessions(Sessions.randomSecret(), Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(otherSecret.read(cookie).isEmpty());
    }

    @Test
    void aSessionEndsWhenItsLifetimeIsOver() {
        String cookie = sessions.cookie(sessions.open("alice", false));
        Sessions later =
                new Sessions(SECRET, Duration.ofHours(1), Clock.fixed(NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC));
        assertTrue(later.read(cookie).isEmpty());
    }

    @Test
    void csrfTokensBelongToOneSession() {
        Sessions.Session alice = sessions.open("alice", false);
        Sessions.Session again = sessions.open("alice", false);
        assertTrue(sessions.csrfMatches(alice, sessions.csrfToken(alice)));
        assertNotEquals(sessions.csrfToken(alice), sessions.csrfToken(again));
        assertFalse(sessions.csrfMatches(alice, sessions.csrfToken(again)));
        assertFalse(sessions.csrfMatches(alice, null));
    }

    @Test
    void passwordsMatchTheirHashOnly() {
        String hash = Passwords.hash("secret".toCharArray());
        assertTrue(hash.startsWith("pbkdf2-sha256$210000$"));
        assertTrue(Passwords.matches("secret".toCharArray(), hash));
        assertFalse(Passwords.matches("Secret".toCharArray(), hash));
        assertNotEquals(hash, Passwords.hash("secret".toCharArray()), "a new salt every time");
        assertFalse(Passwords.matches("secret".toCharArray(), "pbkdf2-sha256$999999999$AA==$AA=="));
        assertFalse(Passwords.matches("secret".toCharArray(), "md5$x"));
        assertFalse(Passwords.matches("secret".toCharArray(), "pbkdf2-sha256$10$%%%$AA=="));
    }

    @Test
    void imagesAreServedOnlyAsWhatTheirBytesAre() {
        assertEquals(
                Optional.of("image/png"),
                ImageType.of(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}));
        assertEquals(Optional.of("image/jpeg"), ImageType.of(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertEquals(Optional.empty(), ImageType.of("<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Optional.empty(), ImageType.of(new byte[0]));
    }
}
