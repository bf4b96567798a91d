package io.clipguard.app;

import io.clipguard.config.KafkaConnection;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the cluster answers, asked at most every few seconds: a Kafka Streams client stays RUNNING
 * for a while after its brokers are gone, so readiness asks the cluster itself (as Quarkus' check
 * does). Thread-safe.
 */
final class BrokerProbe implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long CACHE_NANOS = Duration.ofSeconds(3).toNanos();

    private final Admin admin;
    private long checkedAtNanos;
    private String lastProblem = "not checked yet";

    BrokerProbe(Properties streamsSettings) {
        this.admin = Admin.create(KafkaConnection.adminSettings(streamsSettings, "clipguard-health", TIMEOUT));
    }

    /** Null when the cluster answered lately, else what went wrong. */
    synchronized String problem() {
        long now = System.nanoTime();
        if (checkedAtNanos != 0 && now - checkedAtNanos < CACHE_NANOS) {
            return lastProblem;
        }
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes()
                    .get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS);
            lastProblem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            lastProblem = "interrupted";
        } catch (Exception e) {
            lastProblem = "the Kafka cluster does not answer: " + e.getClass().getSimpleName();
        }
        checkedAtNanos = System.nanoTime();
        return lastProblem;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
