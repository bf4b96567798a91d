package io.clipguard.topology;

import java.time.Duration;

/**
 * Per stream thread, across all its tasks: after a read failed for want of the schema registry, the
 * thread's other reads do not wait on the registry again for {@link #GAP}. Each failed read can cost the
 * registry client's timeouts (1 s connect, 2 s request, 3 s in all); with at least 4 s between two such
 * waits, a thread waits on a failing registry at most twice (6 s) in any stretch between two commits,
 * with its wait for room (2 s) still inside the 10 s transaction timeout, whatever number of tasks and
 * records it has. Paused per task, a thread with many tasks would wait task after task, past the
 * transaction timeout, and be fenced. Reads are made only on stream threads, so the state is
 * thread-confined.
 */
final class RegistryPause {

    /** The least time between two waits of a thread on a failing registry. */
    static final Duration GAP = Duration.ofSeconds(4);

    /** [0]: paused until (nanoTime), [1]: 1 while the registry last failed on this thread. */
    private static final ThreadLocal<long[]> STATE = ThreadLocal.withInitial(() -> new long[2]);

    private RegistryPause() {}

    /** Whether this thread should not ask the registry now. */
    static boolean active(long nowNanos) {
        long[] state = STATE.get();
        return state[1] == 1 && nowNanos - state[0] < 0;
    }

    /** A read on this thread failed for want of the registry. */
    static void failed(long nowNanos) {
        long[] state = STATE.get();
        state[1] = 1;
        state[0] = nowNanos + GAP.toNanos();
    }

    /** A read on this thread reached the registry, or needed it not. */
    static void succeeded() {
        STATE.get()[1] = 0;
    }
}
