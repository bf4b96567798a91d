package io.clipguard.metrics;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.metrics.KafkaMetricsContext;
import org.apache.kafka.common.metrics.MetricConfig;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.common.metrics.stats.Percentile;
import org.apache.kafka.common.metrics.stats.Percentiles;
import org.apache.kafka.common.utils.Time;

/**
 * Pipeline metrics on Kafka's metrics library, exported over JMX as {@code clipguard:type=pipeline}
 * beside Kafka Streams' own: batch size, queue wait, encoder time and end-to-end latency (averages,
 * maxima and, for latencies, p50/p95/p99 over the last 30 s window). Thread-safe.
 */
public final class KafkaPipelineMetrics implements PipelineMetrics, AutoCloseable {

    private static final String GROUP = "pipeline";
    private static final double MAX_MILLIS = 60_000;

    private final Metrics metrics;
    private final Sensor batchSize;
    private final Sensor encodeTime;
    private final Sensor queueWait;
    private final Sensor endToEnd;

    public KafkaPipelineMetrics() {
        metrics = new Metrics(new MetricConfig(), List.of(new JmxReporter()), Time.SYSTEM,
                new KafkaMetricsContext("clipguard"));
        batchSize = metrics.sensor("batch-size");
        batchSize.add(name("batch-size-avg", "Images per encoder batch"), new Avg());
        batchSize.add(name("batch-size-max", "Largest encoder batch"), new Max());
        batchSize.add(name("batches-total", "Encoder batches dispatched"), new CumulativeCount());
        encodeTime = latency("encode-time-ms", "Encoder time per batch");
        queueWait = latency("queue-wait-ms", "Time an image waited for its batch");
        endToEnd = latency("end-to-end-latency-ms", "Upload time to decision time");
    }

    private Sensor latency(String sensorName, String description) {
        Sensor sensor = metrics.sensor(sensorName);
        sensor.add(name(sensorName + "-avg", description + ", average"), new Avg());
        sensor.add(name(sensorName + "-max", description + ", maximum"), new Max());
        sensor.add(new Percentiles(4000, MAX_MILLIS, Percentiles.BucketSizing.LINEAR,
                new Percentile(name(sensorName + "-p50", description + ", median"), 50),
                new Percentile(name(sensorName + "-p95", description + ", 95th percentile"), 95),
                new Percentile(name(sensorName + "-p99", description + ", 99th percentile"), 99)));
        return sensor;
    }

    private MetricName name(String name, String description) {
        return metrics.metricName(name, GROUP, description);
    }

    @Override
    public void batchEncoded(int size, double encodeMillis) {
        batchSize.record(size);
        encodeTime.record(Math.min(encodeMillis, MAX_MILLIS));
    }

    @Override
    public void queueWaited(double queueMillis) {
        queueWait.record(Math.min(queueMillis, MAX_MILLIS));
    }

    @Override
    public void decided(double endToEndMillis) {
        endToEnd.record(Math.max(0, Math.min(endToEndMillis, MAX_MILLIS)));
    }

    /** Every metric's current value by name, for logs and benchmarks. */
    public Map<String, Double> snapshot() {
        Map<String, Double> values = new TreeMap<>();
        metrics.metrics().forEach((name, metric) -> {
            if (name.group().equals(GROUP) && metric.metricValue() instanceof Double value) {
                values.put(name.name(), value);
            }
        });
        return values;
    }

    @Override
    public void close() {
        metrics.close();
    }
}
