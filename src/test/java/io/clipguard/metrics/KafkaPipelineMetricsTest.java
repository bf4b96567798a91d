package io.clipguard.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaPipelineMetricsTest {

    @Test
    void reportsBatchSizesAndLatencyPercentiles() {
        try (KafkaPipelineMetrics metrics = new KafkaPipelineMetrics()) {
            metrics.batchEncoded(8, 40);
            metrics.batchEncoded(4, 20);
            for (int i = 1; i <= 100; i++) {
                metrics.decided(i);
            }
            Map<String, Double> values = metrics.snapshot();
            assertEquals(6.0, values.get("batch-size-avg"), 1e-9);
            assertEquals(8.0, values.get("batch-size-max"), 1e-9);
            assertEquals(2.0, values.get("batches-total"), 1e-9);
            assertEquals(30.0, values.get("encode-time-ms-avg"), 1e-9);
            assertEquals(50.0, values.get("end-to-end-latency-ms-p50"), 20.0);
            assertTrue(values.get("end-to-end-latency-ms-p99") >= values.get("end-to-end-latency-ms-p50"));
        }
    }

    @Test
    void neverThrowsOnOutOfRangeValues() {
        try (KafkaPipelineMetrics metrics = new KafkaPipelineMetrics()) {
            metrics.decided(-5);
            metrics.decided(Double.MAX_VALUE);
            metrics.queueWaited(1e12);
            assertEquals(60_000.0, metrics.snapshot().get("end-to-end-latency-ms-max"), 1e-9);
        }
    }
}
