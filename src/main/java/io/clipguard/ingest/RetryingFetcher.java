package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Retries a fetcher's {@code TRANSIENT} failures: up to {@code maxAttempts} attempts, waiting
 * {@code backoff} before the second and twice as long before each next one, each wait drawn
 * between half and all of that (jitter, so that uploads failing together do not retry together).
 * Other failures are returned at once. The final failure's message says how many attempts were made.
 * Thread-safe if the delegate is; the waiting thread is blocked.
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

    RetryingFetcher(ImageFetcher delegate, int maxAttempts, Duration backoff, Sleeper sleeper) {
        this.delegate = delegate;
        this.maxAttempts = maxAttempts;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes) throws FetchException {
        Duration wait = backoff;
        for (int attempt = 1; ; attempt++) {
            try {
                return delegate.fetch(uri, maxBytes);
            } catch (FetchException e) {
                if (e.failure() != Failure.TRANSIENT || attempt >= maxAttempts) {
                    throw attempt == 1 ? e : new FetchException(e.failure(), e.getMessage() + " (after " + attempt
                            + " attempts)", e.getCause());
                }
            }
            pause(wait);
            wait = wait.multipliedBy(2);
        }
    }

    private void pause(Duration wait) throws FetchException {
        long halfMillis = wait.toMillis() / 2;
        try {
            sleeper.sleep(Duration.ofMillis(halfMillis + ThreadLocalRandom.current().nextLong(halfMillis + 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchException(Failure.TRANSIENT, "interrupted while waiting to retry", e);
        }
    }
}
