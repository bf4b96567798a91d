package io.clipguard.app;

import io.clipguard.banks.KnownContent;
import io.clipguard.config.ManagementConfig;
import io.clipguard.management.ManagementServer;
import io.clipguard.metrics.MicrometerPipelineMetrics;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.Reason;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The job's meters and, unless turned off, the management server that exposes them with the health
 * checks: started first, so probes answer while the model loads. Close last.
 */
final class Management implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile KnownContent banks;
    private MultiGauge bankEntries;
    private final ManagementServer server;
    private volatile AppMeters appMeters;
    private KafkaStreamsMetrics streamsMetrics;
    private BrokerProbe brokerProbe;
    private UploadsLag uploadsLag;
    private final List<AutoCloseable> jvmMeters;

    Management(ManagementConfig config, AppHealth health) {
        this.jvmMeters = JvmMeters.bindTo(registry);
        this.server =
                config.enabled() ? ManagementServer.start(config.host(), config.port(), health, this::scrape) : null;
    }

    /** The pipeline's meters, with the series for this policy and every dead-letter reason at zero. */
    PipelineMetrics pipelineMetrics(Policy policy) {
        MicrometerPipelineMetrics metrics = new MicrometerPipelineMetrics(registry);
        metrics.expect(
                Arrays.stream(Reason.values()).map(Enum::name).toList(),
                policy.id(),
                policy.labels().stream().collect(Collectors.toMap(Label::id, label -> label.action()
                        .wireName())));
        return metrics;
    }

    /**
     * Adds the Kafka Streams client metrics and the job's own state to what is scraped, and, when the
     * endpoints are served, the readiness check's view of the cluster.
     *
     * @return that view, or null when no endpoints are served
     */
    BrokerProbe bind(
            KafkaStreams streams,
            Properties streamsSettings,
            String uploadsTopic,
            ModelRuntime runtime,
            BatchingRuntime batching) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        for (KafkaStreams.State state : KafkaStreams.State.values()) {
            Gauge.builder("clipguard.streams.state", streams, s -> s.state() == state ? 1 : 0)
                    .description("1 for the Kafka Streams client's state, 0 for the others")
                    .tag("state", state.name())
                    .register(registry);
        }
        if (server != null) {
            uploadsLag = new UploadsLag(
                    streamsSettings, streamsSettings.getProperty(StreamsConfig.APPLICATION_ID_CONFIG), uploadsTopic);
            Gauge.builder("clipguard.uploads.lag", uploadsLag, UploadsLag::uploads)
                    .description("Uploads not yet committed by the application's group over every partition of the"
                            + " uploads topic, as the brokers see it (the same on every instance; NaN when the"
                            + " cluster does not answer)")
                    .tag("topic", uploadsTopic)
                    .register(registry);
        }
        appMeters = AppMeters.bind(registry, runtime, batching);
        brokerProbe = server == null ? null : new BrokerProbe(streamsSettings);
        return brokerProbe;
    }

    /** Gauges of the banks in force: entries per bank, tagged with its action and version. */
    void bindBanks(KnownContent banks) {
        if (banks != null) {
            bankEntries = MultiGauge.builder("clipguard.bank.entries")
                    .description("Entries of each bank in force, tagged with its action and the version in force")
                    .register(registry);
            this.banks = banks;
        }
    }

    private String scrape() {
        AppMeters meters = appMeters;
        if (meters != null) {
            meters.refresh();
        }
        KnownContent known = banks;
        if (known != null) {
            bankEntries.register(
                    known.sizes().entrySet().stream()
                            .map(e -> MultiGauge.Row.of(
                                    Tags.of(
                                            "bank", e.getKey().name(),
                                            "action", e.getKey().action().wireName(),
                                            "version", e.getKey().version()),
                                    e.getValue()))
                            .toList(),
                    true);
        }
        return registry.scrape();
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
        if (uploadsLag != null) {
            uploadsLag.close();
        }
        for (AutoCloseable meters : jvmMeters) {
            try {
                meters.close();
            } catch (Exception e) {
                // listeners of a JVM that is going away
            }
        }
        registry.close();
    }
}
