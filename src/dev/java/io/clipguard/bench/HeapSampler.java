package io.clipguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * Samples the heap every few milliseconds on a daemon thread and keeps the peak of what was still in
 * use after the latest garbage collection (the live set, not garbage waiting to be collected).
 */
final class HeapSampler implements AutoCloseable {

    static final String THREAD = "heap-sampler";

    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null)
            .toList();
    private final Thread thread;
    private volatile long peakBytes;
    private volatile boolean stopped;

    HeapSampler() {
        thread = new Thread(
                () -> {
                    while (!stopped) {
                        peakBytes = Math.max(peakBytes, liveBytes());
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    private long liveBytes() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage afterGc = pool.getCollectionUsage();
            bytes += afterGc == null ? 0 : afterGc.getUsed();
        }
        return bytes;
    }

    long peakMegabytes() {
        return peakBytes / (1024 * 1024);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(1000); // so that it is not counted as a harness thread of the next phase
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
