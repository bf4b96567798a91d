package io.clipguard.ingest;

import java.util.concurrent.atomic.LongAdder;

/** Counts of fetch attempts and of uploads whose fetch failed, since start-up. Thread-safe. */
public final class FetchStats {

    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();

    void attempted() {
        attempts.increment();
    }

    void failed() {
        failures.increment();
    }

    /** Requests made, retries included. */
    public long attempts() {
        return attempts.sum();
    }

    /** Uploads whose image could not be fetched (after retries). */
    public long failures() {
        return failures.sum();
    }
}
