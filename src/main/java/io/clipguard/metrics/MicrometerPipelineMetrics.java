package io.clipguard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pipeline metrics on a Micrometer registry, in Prometheus terms: histograms of the batch size
 * ({@code clipguard_batch_size}), queue wait ({@code clipguard_queue_wait_seconds}), encoder time per
 * batch ({@code clipguard_encode_seconds}), encoder calls that threw ({@code
 * clipguard_encoder_batch_failures_total}) and upload-to-decision latency ({@code
 * clipguard_end_to_end_latency_seconds}), uploads whose upload time is implausible and so not in it
 * ({@code clipguard_upload_time_implausible_total}); counters of decisions by policy, label and action ({@code
 * clipguard_decisions_total}) and of dead letters by reason ({@code clipguard_dead_letters_total}).
 * Thread-safe; never throws into processing.
 */
public final class MicrometerPipelineMetrics implements PipelineMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer encode;
    private final Timer queueWait;
    private final Timer endToEnd;
    private final Counter implausibleUploadTimes;
    private final Counter failedBatches;

    public MicrometerPipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        batchSize = DistributionSummary.builder("clipguard.batch.size")
                .description("Images per encoder batch")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
        encode = histogram("clipguard.encode", "Encoder time per batch", Duration.ofMillis(1), Duration.ofSeconds(30));
        queueWait = histogram(
                "clipguard.queue.wait",
                "Time an image waited for its batch",
                Duration.ofMillis(1),
                Duration.ofSeconds(30));
        endToEnd = histogram(
                "clipguard.end.to.end.latency",
                "Upload time to decision time",
                Duration.ofMillis(10),
                Duration.ofMinutes(5));
        failedBatches = Counter.builder("clipguard.encoder.batch.failures")
                .description("Encoder calls that threw (their images are then encoded one by one)")
                .register(registry);
        implausibleUploadTimes = Counter.builder("clipguard.upload.time.implausible")
                .description(
                        "Uploads decided whose upload time is in the future or over 30 days ago (not in the latency)")
                .register(registry);
    }

    private Timer histogram(String name, String description, Duration min, Duration max) {
        return Timer.builder(name)
                .description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(min)
                .maximumExpectedValue(max)
                .register(registry);
    }

    @Override
    public void batchEncoded(int size, double encodeMillis) {
        batchSize.record(size);
        encode.record((long) (encodeMillis * 1e6), TimeUnit.NANOSECONDS);
    }

    @Override
    public void batchFailed(int size) {
        failedBatches.increment();
    }

    @Override
    public void queueWaited(double queueMillis) {
        queueWait.record((long) (queueMillis * 1e6), TimeUnit.NANOSECONDS);
    }

    @Override
    public void decided(double endToEndMillis) {
        endToEnd.record((long) (Math.max(0, endToEndMillis) * 1e6), TimeUnit.NANOSECONDS);
    }

    @Override
    public void implausibleUploadTime() {
        implausibleUploadTimes.increment();
    }

    @Override
    public void scored(String policyId, String decidingLabel, String action) {
        decisions(policyId, decidingLabel, action).increment();
    }

    @Override
    public void deadLettered(String reason) {
        deadLetters(reason).increment();
    }

    @Override
    public void bankMatched(String bank, String action, String version) {
        Counter.builder("clipguard.bank.matches")
                .description("Bank entries matched by scored uploads, by bank, its action and its version")
                .tags("bank", bank, "action", action, "version", version)
                .register(registry)
                .increment();
    }

    /**
     * Registers the series a dashboard and alerts expect, at zero, before anything happened: each
     * dead-letter reason, and each (label, action) of a policy plus no label at all.
     */
    public void expect(Collection<String> reasons, String policyId, Map<String, String> actionByLabel) {
        reasons.forEach(this::deadLetters);
        decisions(policyId, "none", "allow");
        actionByLabel.forEach((label, action) -> decisions(policyId, label, action));
    }

    private Counter decisions(String policyId, String decidingLabel, String action) {
        return Counter.builder("clipguard.decisions")
                .description("Results written, by policy, deciding label and action")
                .tags("policy", policyId, "label", decidingLabel, "action", action)
                .register(registry);
    }

    private Counter deadLetters(String reason) {
        return Counter.builder("clipguard.dead.letters")
                .description("Dead letters written, by reason")
                .tag("reason", reason)
                .register(registry);
    }
}
