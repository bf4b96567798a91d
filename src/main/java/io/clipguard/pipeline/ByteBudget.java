package io.clipguard.pipeline;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bytes uploads in flight may hold, shared by every stream thread and task of an instance. An
 * upload is charged when it is admitted and released when its image is no longer held.
 *
 * <p>A request larger than the whole budget is granted when nothing else is held, so every upload
 * that passes the size limits can be admitted. Thread-safe.
 */
public final class ByteBudget {

    private final long capacityBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private long usedBytes;
    private long overrunBytesTotal;

    public ByteBudget(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("the in-flight byte budget must be positive, got " + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
    }

    /** Takes {@code bytes} if they fit within {@code maxWait}; false if they did not. */
    public boolean tryAcquire(long bytes, Duration maxWait) throws InterruptedException {
        long leftNanos = maxWait.toNanos();
        lock.lock();
        try {
            while (usedBytes > 0 && usedBytes + bytes > capacityBytes) {
                if (leftNanos <= 0) {
                    return false;
                }
                leftNanos = released.awaitNanos(leftNanos);
            }
            usedBytes += bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} even beyond the budget: for an upload that could not wait any longer. */
    public void acquireOver(long bytes) {
        lock.lock();
        try {
            usedBytes += bytes;
            overrunBytesTotal += Math.max(0, Math.min(bytes, usedBytes - capacityBytes));
        } finally {
            lock.unlock();
        }
    }

    public void release(long bytes) {
        lock.lock();
        try {
            usedBytes -= bytes;
            released.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held now. */
    public long usedBytes() {
        lock.lock();
        try {
            return usedBytes;
        } finally {
            lock.unlock();
        }
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes ever admitted beyond the budget by {@link #acquireOver}. */
    public long overrunBytesTotal() {
        lock.lock();
        try {
            return overrunBytesTotal;
        } finally {
            lock.unlock();
        }
    }
}
