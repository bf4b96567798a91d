package io.clipguard.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Samples the heap in use every few milliseconds on a daemon thread and keeps the peak. */
final class HeapSampler implements AutoCloseable {

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Thread thread;
    private volatile long peakBytes;
    private volatile boolean stopped;

    HeapSampler() {
        thread = new Thread(() -> {
            while (!stopped) {
                peakBytes = Math.max(peakBytes, memory.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    long peakMegabytes() {
        return peakBytes / (1024 * 1024);
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }
}
