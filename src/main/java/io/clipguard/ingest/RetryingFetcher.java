package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a fetcher's {@code TRANSIENT} failures: up to {@code maxAttempts} attempts, waiting
 * {@code backoff} before the second and twice as long before each next one, each wait drawn
 * between half and all of that (jitter, so that uploads failing together do not retry together).
 * Other failures are returned at once. All attempts and waits of one upload end at its deadline
 * ({@code deadline} after the first attempt starts): no retry starts that could not begin before it,
 * and an attempt in progress is cut off there. The final failure's message says how many attempts
 * were made. Thread-safe if the delegate is; the waiting thread is blocked.
 */
final class RetryingFetcher implements ImageFetcher {

    /** Waits; a seam for tests. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper THREAD = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final ImageFetcher delegate;
    private final int maxAttempts;
    private final Duration backoff;
    private final Sleeper sleeper;
    private final Duration deadline;
    private final Clock clock;
    private final FetchStats stats;

    RetryingFetcher(ImageFetcher delegate, int maxAttempts, Duration backoff, Sleeper sleeper) {
        this(delegate, maxAttempts, backoff, Duration.ofDays(1), sleeper, Clock.systemUTC(), new FetchStats());
    }

    RetryingFetcher(
            ImageFetcher delegate,
            int maxAttempts,
            Duration backoff,
            Duration deadline,
            Sleeper sleeper,
            Clock clock,
            FetchStats stats) {
        this.stats = stats;
        this.delegate = delegate;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.deadline = deadline;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes) throws FetchException {
        return fetch(uri, maxBytes, Instant.MAX); // bounded by this fetcher's own deadline
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes, Instant uploadDeadline) throws FetchException {
        Instant ownDeadline = clock.instant().plus(deadline);
        Instant until = uploadDeadline.isBefore(ownDeadline) ? uploadDeadline : ownDeadline;
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                stats.attempted();
                return delegate.fetch(uri, maxBytes, until);
            } catch (FetchException e) {
                Duration pause = jittered(wait);
                boolean pastDeadline = !clock.instant().plus(pause).isBefore(until);
                if (e.failure() != Failure.TRANSIENT || attempt >= maxAttempts || pastDeadline) {
                    stats.failed();
                    String why =
                            pastDeadline && attempt < maxAttempts ? ", giving up at the upload's fetch deadline" : "";
                    throw attempt == 1 && why.isEmpty()
                            ? e
                            : new FetchException(
                                    e.failure(),
                                    e.getMessage() + " (after " + attempt + (attempt == 1 ? " attempt" : " attempts")
                                            + why + ")",
                                    e.getCause());
                }
                pause(pause);
            }
            wait = wait.multipliedBy(2);
        }
    }

    private static Duration jittered(Duration wait) {
        long halfMillis = wait.toMillis() / 2;
        return Duration.ofMillis(halfMillis + ThreadLocalRandom.current().nextLong(halfMillis + 1));
    }

    private void pause(Duration wait) throws FetchException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Failure.TRANSIENT, "interrupted while waiting to retry", e);
        }
    }
}
