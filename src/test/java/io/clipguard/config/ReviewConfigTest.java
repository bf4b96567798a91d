package io.clipguard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ReviewConfigTest {

    @Test
    void usersRolesAndWellnessDefaultsAreReadPerUser() {
        Properties properties = ConfigLoaderTest.minimal();
        properties.setProperty("clipguard.review.user.alice.password", "pbkdf2-sha256$1$AA==$AA==");
        properties.setProperty("clipguard.review.user.root.password", "pbkdf2-sha256$1$AA==$AA==");
        properties.setProperty("clipguard.review.user.root.role", "admin");
        properties.setProperty("clipguard.review.user.bob.blur", "false");
        properties.setProperty("clipguard.review.greyscale", "false");
        properties.setProperty("clipguard.review.lease-ms", "60000");
        ReviewConfig review = ConfigLoader.from(properties).review();
        assertFalse(review.users().get("alice").admin());
        assertTrue(review.users().get("root").admin());
        assertTrue(review.users().get("alice").blur());
        assertFalse(review.users().get("bob").blur());
        assertFalse(review.users().get("bob").greyscale(), "the organisation's default");
        assertTrue(review.users().get("bob").passwordHash().isEmpty(), "a proxy-only user");
        assertEquals(Duration.ofMinutes(1), review.lease());
        assertEquals("moderation.reviews", review.topics().reviews());
        assertEquals(8090, review.port());
    }

    @Test
    void badSettingsNameTheKeyAndWhatWouldBeValid() {
        assertRefused("clipguard.review.user.root.role", "superuser", "use reviewer or admin");
        assertRefused("clipguard.review.user.root.shoe-size", "42", "review.user.NAME.password|role");
        assertRefused("clipguard.review.user.a b.role", "admin", "NAME of letters");
        assertRefused("clipguard.review.user.bob.blur", "yes", "use true or false");
        assertRefused("clipguard.review.session-secret", "short", "at least 32");
        assertRefused("clipguard.review.port", "70000", "clipguard.review.port");
        assertRefused("clipguard.review.lease-ms", "0", "clipguard.review.lease-ms");
    }

    private static void assertRefused(String key, String value, String message) {
        Properties properties = ConfigLoaderTest.minimal();
        properties.setProperty(key, value);
        String error = assertThrows(ConfigException.class, () -> ConfigLoader.from(properties))
                .getMessage();
        assertTrue(error.contains(message), error);
    }
}
