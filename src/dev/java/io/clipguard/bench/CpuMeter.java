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

    /**
     * CPU milliseconds, all cores together. The job's are also split by thread: the decode and
     * pre-processing pool, the stream threads (with their producers), and the encoder's dispatcher;
     * the rest is the engine's native threads, the JIT, the garbage collector and the other pools.
     */
    record Split(
            double jobMs,
            double preprocessMs,
            double streamMs,
            double encoderMs,
            double brokerMs,
            double registryMs,
            double harnessMs) {

        Split perImage(int images) {
            return new Split(
                    jobMs / images,
                    preprocessMs / images,
                    streamMs / images,
                    encoderMs / images,
                    brokerMs / images,
                    registryMs / images,
                    harnessMs / images);
        }

        double jobRestMs() {
            return jobMs - preprocessMs - streamMs - encoderMs;
        }
    }

    /** One reading of every clock, in nanoseconds. */
    record Reading(
            long thisProcess, long harness, long preprocess, long stream, long encoder, long broker, long registry) {}

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
        long harness = 0;
        long preprocess = 0;
        long stream = 0;
        long encoder = 0;
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread == null) {
                continue;
            }
            String name = thread.getThreadName();
            long nanos = Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()));
            if (isHarness(name)) {
                harness += nanos;
            } else if (name.startsWith("preprocess-")) {
                preprocess += nanos;
            } else if (name.contains("StreamThread")) {
                stream += nanos;
            } else if (name.startsWith("encoder-batcher")) {
                encoder += nanos;
            }
        }
        return new Reading(
                PROCESS.getProcessCpuTime(),
                harness,
                preprocess,
                stream,
                encoder,
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
                (end.preprocess() - start.preprocess()) / 1e6,
                (end.stream() - start.stream()) / 1e6,
                (end.encoder() - start.encoder()) / 1e6,
                (end.broker() - start.broker()) / 1e6,
                (end.registry() - start.registry()) / 1e6,
                harness / 1e6);
    }

    /** The harness's threads: the driver, the sender, the heap sampler and their Kafka clients. */
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
