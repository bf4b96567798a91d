package io.clipguard.bench;

/**
 * What one benchmark phase measured.
 *
 * @param uploads          uploads sent
 * @param offeredPerSecond the rate they were sent at, 0 for as fast as possible
 * @param imagesPerSecond  uploads decided per second, first send to last result committed
 * @param p50Millis        median latency from send to committed result seen by a read_committed consumer
 * @param p95Millis        95th percentile latency
 * @param p99Millis        99th percentile latency
 * @param heapPeakMb       the largest live heap (in use after a collection) while the phase ran
 * @param cpuPerImage      CPU milliseconds per upload of the job, the broker, the registry and the harness
 */
record PhaseResult(
        int uploads,
        double offeredPerSecond,
        double imagesPerSecond,
        double p50Millis,
        double p95Millis,
        double p99Millis,
        long heapPeakMb,
        CpuMeter.Split cpuPerImage) {}
