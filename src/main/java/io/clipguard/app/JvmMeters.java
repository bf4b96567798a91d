package io.clipguard.app;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmHeapPressureMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The JVM's and the process's meters: heap and buffer pools ({@code jvm_memory_*},
 * {@code jvm_buffer_*}), GC pauses and overhead ({@code jvm_gc_*}), threads, CPU, open files, uptime,
 * and the process's resident memory ({@code process_resident_memory_bytes}, from /proc; NaN elsewhere),
 * which is where libtorch's native memory shows: the heap alone does not explain a container's
 * out-of-memory kill.
 */
final class JvmMeters {

    private static final Path STATUS = Path.of("/proc/self/status");

    private JvmMeters() {}

    /** Binds them; the GC meters listen to the JVM until {@code close}d. */
    static List<AutoCloseable> bindTo(MeterRegistry registry) {
        JvmGcMetrics gc = new JvmGcMetrics();
        JvmHeapPressureMetrics heapPressure = new JvmHeapPressureMetrics();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        heapPressure.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("process.resident.memory", JvmMeters::residentBytes)
                .description("Resident set size of the process: heap, native libraries and their allocations")
                .baseUnit("bytes")
                .register(registry);
        return List.of(gc, heapPressure);
    }

    static double residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Double.parseDouble(parts[0]) * 1024; // in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted
        }
        return Double.NaN;
    }
}
