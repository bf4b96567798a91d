package io.clipguard.topology;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The uploads parked on every task of an instance, in the order they were parked. Room in the budget
 * goes to the oldest first, whichever task it belongs to, and no new upload is let in while any waits:
 * otherwise uploads that need little room would take every byte as it is freed, and a large one at the
 * head of its task's line, with every upload of that partition behind it, would wait for ever.
 * Thread-safe.
 */
public final class ParkedLine {

    private final ConcurrentLinkedDeque<Object> line = new ConcurrentLinkedDeque<>();

    void join(Object upload) {
        line.add(upload);
    }

    /** Whether {@code upload} is the oldest parked upload of the instance: its turn has come. */
    boolean isFirst(Object upload) {
        return line.peekFirst() == upload;
    }

    void leave(Object upload) {
        line.removeFirstOccurrence(upload);
    }

    /** The uploads of a task that closed leave the line. */
    void leaveAll(Collection<?> uploads) {
        Set<Object> leaving = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        leaving.addAll(uploads);
        line.removeIf(leaving::contains);
    }

    boolean isEmpty() {
        return line.isEmpty();
    }

    /** Uploads parked now (counts the line: for a metric, not for a hot path). */
    public int size() {
        return line.size();
    }
}
