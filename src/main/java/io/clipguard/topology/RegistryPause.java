package io.clipguard.topology;

import java.time.Duration;

/**
 * Per stream thread, across all its tasks: after a read failed for want of the schema registry, the
 * thread's other reads do not wait on the registry again until a backoff has passed (100 ms, doubling
 * to 2 s while it keeps failing). Each failed read can cost the registry client's timeouts; paused per
 * task instead, a thread with many tasks would wait task after task, past the transaction timeout, and
 * be fenced. Reads are made only on stream threads, so the state is thread-confined.
 */
final class RegistryPause {

    private static final long FIRST_NANOS = Duration.ofMillis(100).toNanos();
    private static final long MAX_NANOS = Duration.ofSeconds(2).toNanos();

    /** [0]: paused until (nanoTime), [1]: consecutive failures. */
    private static final ThreadLocal<long[]> STATE = ThreadLocal.withInitial(() -> new long[2]);

    private RegistryPause() {}

    /** Whether this thread should not ask the registry now. */
    static boolean active(long nowNanos) {
        long[] state = STATE.get();
        return state[1] > 0 && nowNanos - state[0] < 0;
    }

    /** A read on this thread failed for want of the registry. */
    static void failed(long nowNanos) {
        long[] state = STATE.get();
        state[1]++;
        long backoff = Math.min(MAX_NANOS, FIRST_NANOS << Math.min(state[1] - 1, 10));
        state[0] = nowNanos + backoff;
    }

    /** A read on this thread reached the registry, or needed it not. */
    static void succeeded() {
        STATE.get()[1] = 0;
    }
}
