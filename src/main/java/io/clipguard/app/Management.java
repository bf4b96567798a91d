package io.clipguard.app;

import io.clipguard.config.ManagementConfig;
import io.clipguard.management.ManagementServer;
import io.clipguard.metrics.MicrometerPipelineMetrics;
import io.clipguard.metrics.PipelineMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.OptionalInt;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The job's meters and, unless turned off, the management server that exposes them with the health
 * checks: started first, so probes answer while the model loads. Close last.
 */
final class Management implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ManagementServer server;
    private volatile AppMeters appMeters;
    private KafkaStreamsMetrics streamsMetrics;
    private BrokerProbe brokerProbe;

    private Management(ManagementConfig config, AppHealth health) {
        this.server =
                config.enabled() ? ManagementServer.start(config.host(), config.port(), health, this::scrape) : null;
    }

    static Management start(ManagementConfig config, AppHealth health) {
        return new Management(config, health);
    }

    /** The pipeline's meters, with the series for this policy and every dead-letter reason at zero. */
    PipelineMetrics pipelineMetrics(io.clipguard.policy.Policy policy) {
        MicrometerPipelineMetrics metrics = new MicrometerPipelineMetrics(registry);
        metrics.expect(
                java.util.Arrays.stream(io.clipguard.pipeline.Reason.values())
                        .map(Enum::name)
                        .toList(),
                policy.id(),
                policy.labels().stream()
                        .collect(java.util.stream.Collectors.toMap(
                                label -> label.id(), label -> label.action().wireName())));
        return metrics;
    }

    /** Adds the Kafka Streams client metrics and the job's own state to what is scraped. */
    void bind(KafkaStreams streams, ModelRuntime runtime, BatchingRuntime batching) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        appMeters = AppMeters.bind(registry, runtime, batching);
    }

    /** The readiness check's view of the cluster; null when no endpoints are served. */
    BrokerProbe brokerProbe(java.util.Properties streamsSettings) {
        if (server != null && brokerProbe == null) {
            brokerProbe = new BrokerProbe(streamsSettings);
        }
        return brokerProbe;
    }

    private String scrape() {
        AppMeters meters = appMeters;
        if (meters != null) {
            meters.refresh();
        }
        return registry.scrape();
    }

    OptionalInt port() {
        return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (brokerProbe != null) {
            brokerProbe.close();
        }
        registry.close();
    }
}
