package io.clipguard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A test's need for something outside the build (a system package). On a developer's machine a test
 * without it skips, saying what to install; under CI ({@code CI=true}), whose {@code .ci/run} installs
 * it, its absence fails the test: a skip there would pass without having checked anything.
 */
public final class Requires {

    private Requires() {}

    public static void that(boolean present, String whatIsMissing) {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, whatIsMissing + " (CI installs it: see .ci/run)");
        } else {
            assumeTrue(present, "skipped: " + whatIsMissing);
        }
    }
}
