package io.clipguard.bench;

import com.sun.management.OperatingSystemMXBean;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The CPU time of a benchmark phase, split by who spent it: the moderation job (this JVM less the
 * harness's threads), the broker and the registry (each a process of its own), and the harness (the
 * threads that send uploads and read outcomes). Process times are the operating system's and count
 * every thread, the engine's native ones, the garbage collector and the JIT included; the harness's
 * are its threads' CPU clocks. The harness's garbage is collected on the job's account.
 */
final class CpuMeter {

    /** CPU milliseconds, all cores together. */
    record Split(double jobMs, double brokerMs, double registryMs, double harnessMs) {
        Split perImage(int images) {
            return new Split(jobMs / images, brokerMs / images, registryMs / images, harnessMs / images);
        }

        double totalMs() {
            return jobMs + brokerMs + registryMs + harnessMs;
        }
    }

    /** One reading of every clock, in nanoseconds. */
    record Reading(long thisProcess, long harness, long broker, long registry) {}

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Supplier<Duration> broker;
    private final Supplier<Duration> registry;

    CpuMeter(Supplier<Duration> broker, Supplier<Duration> registry) {
        this.broker = broker;
        this.registry = registry;
    }

    Reading read() {
        return new Reading(
                PROCESS.getProcessCpuTime(),
                harnessThreads(),
                broker.get().toNanos(),
                registry.get().toNanos());
    }

    /**
     * What was spent since {@code start}; {@code exitedHarnessNanos} is the CPU time of harness
     * threads that ended in between (their clocks end with them).
     */
    Split since(Reading start, long exitedHarnessNanos) {
        Reading end = read();
        long harness = end.harness() - start.harness() + exitedHarnessNanos;
        return new Split(
                (end.thisProcess() - start.thisProcess() - harness) / 1e6,
                (end.broker() - start.broker()) / 1e6,
                (end.registry() - start.registry()) / 1e6,
                harness / 1e6);
    }

    /** The harness's threads alive now: the driver, the sender, the heap sampler and their Kafka clients. */
    private static long harnessThreads() {
        long nanos = 0;
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread != null && isHarness(thread.getThreadName())) {
                nanos += Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }

    static boolean isHarness(String threadName) {
        return threadName.equals("main")
                || threadName.equals(PipelineRun.SENDER_THREAD)
                || threadName.equals(HeapSampler.THREAD)
                || threadName.contains(UploadProducer.CLIENT_ID_PREFIX)
                || threadName.contains(OutcomeReader.GROUP_PREFIX);
    }

    /** The calling thread's CPU time so far, for a harness thread about to end. */
    static long currentThreadNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
