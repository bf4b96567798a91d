package io.clipguard.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.ingest.FetchException.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingFetcherTest {

    private static final URI URI_ = URI.create("https://images.example.com/a.jpg");
    private final List<Duration> waits = new ArrayList<>();

    @Test
    void retriesTransientFailuresWithGrowingJitteredBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ImageFetcher flaky = (uri, max) -> {
            if (calls.incrementAndGet() < 3) {
                throw new FetchException(Failure.TRANSIENT, "HTTP 503");
            }
            return new byte[] {1};
        };

        assertArrayEquals(new byte[] {1}, retrying(flaky, 3).fetch(URI_, 10));
        assertEquals(2, waits.size());
        assertBetween(50, 100, waits.get(0));
        assertBetween(100, 200, waits.get(1));
    }

    @Test
    void givesUpAfterMaxAttemptsSayingHowMany() {
        AtomicInteger calls = new AtomicInteger();
        ImageFetcher down = (uri, max) -> {
            calls.incrementAndGet();
            throw new FetchException(Failure.TRANSIENT, "connection refused");
        };

        FetchException e =
                assertThrows(FetchException.class, () -> retrying(down, 3).fetch(URI_, 10));
        assertEquals(3, calls.get());
        assertEquals(Failure.TRANSIENT, e.failure());
        assertEquals("connection refused (after 3 attempts)", e.getMessage());
    }

    @Test
    void neverRetriesRefusedTooLargeOrPermanent() {
        for (Failure failure : List.of(Failure.REFUSED, Failure.TOO_LARGE, Failure.PERMANENT)) {
            AtomicInteger calls = new AtomicInteger();
            ImageFetcher fails = (uri, max) -> {
                calls.incrementAndGet();
                throw new FetchException(failure, "no");
            };
            FetchException e =
                    assertThrows(FetchException.class, () -> retrying(fails, 3).fetch(URI_, 10));
            assertEquals(failure, e.failure());
            assertEquals(1, calls.get(), failure + " tried once");
        }
        assertTrue(waits.isEmpty());
    }

    private RetryingFetcher retrying(ImageFetcher delegate, int attempts) {
        return new RetryingFetcher(delegate, attempts, Duration.ofMillis(100), waits::add);
    }

    private static void assertBetween(long lowMillis, long highMillis, Duration wait) {
        assertTrue(wait.toMillis() >= lowMillis && wait.toMillis() <= highMillis, wait.toString());
    }
}
