package io.clipguard.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.encode.BatchingConfig;
import io.clipguard.encode.DynamicBatcher;
import io.clipguard.encode.LambdaEncoder;
import io.clipguard.management.HealthCheck;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.junit.jupiter.api.Test;

class AppHealthTest {

    /** A Kafka Streams client as health reads it, in whatever state a test puts it. */
    private static final class FakeClient implements AppHealth.Client {
        volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
        volatile double alive = 1;

        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public double aliveStreamThreads() {
            return alive;
        }
    }

    private final FakeClient client = new FakeClient();
    private volatile String brokerProblem;
    private volatile String stoppedWatcher;

    private AppHealth started(DynamicBatcher batcher) {
        AppHealth health = new AppHealth(Duration.ofSeconds(60));
        health.started(client, batcher, () -> brokerProblem, () -> stoppedWatcher);
        return health;
    }

    private static void assertDown(HealthCheck.Status status, String reason) {
        assertFalse(status.up(), "down: " + reason);
        assertTrue(status.reason().contains(reason), status.reason());
    }

    @Test
    void liveWhileStartingButNotReady() {
        AppHealth health = new AppHealth(Duration.ofSeconds(60));
        assertTrue(health.live().up());
        assertDown(health.ready(), "starting");
    }

    @Test
    void liveAndReadyWhenRunningWithTheClusterAnswering() {
        AppHealth health = started(null);
        assertTrue(health.live().up());
        assertTrue(health.ready().up());
    }

    @Test
    void notLiveForEachOfItsStatedReasons() throws Exception {
        AppHealth health = started(null);
        client.state = KafkaStreams.State.ERROR;
        assertDown(health.live(), "ERROR");
        client.state = KafkaStreams.State.PENDING_ERROR;
        assertDown(health.live(), "PENDING_ERROR");
        client.state = KafkaStreams.State.NOT_RUNNING;
        assertDown(health.live(), "without being told to");
        client.state = KafkaStreams.State.RUNNING;
        client.alive = 0;
        assertDown(health.live(), "no stream thread is alive");
        client.alive = 1;
        stoppedWatcher = "the policy topic watcher stopped";
        assertDown(health.live(), "the policy topic watcher stopped");
        stoppedWatcher = null;
        assertTrue(health.live().up());
    }

    @Test
    void notLiveWhenABatchDispatcherDiedOrTheEncoderFailsBatchAfterBatch() throws Exception {
        DynamicBatcher failing = new DynamicBatcher(
                LambdaEncoder.of(1, batch -> {
                    throw new IllegalStateException("the engine is gone");
                }),
                new BatchingConfig(1, Duration.ZERO, 32),
                1,
                DynamicBatcher.BatchListener.NONE);
        try {
            AppHealth health = started(failing);
            for (int i = 0; i < AppHealth.MAX_FAILED_BATCHES; i++) {
                try {
                    failing.submit(new float[] {i}).get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // every batch fails
                }
            }
            assertDown(health.live(), "the encoder failed 10 batches in a row");
        } finally {
            failing.close();
        }
        DynamicBatcher closed = new DynamicBatcher(
                LambdaEncoder.of(1, batch -> batch.toArray(float[][]::new)),
                new BatchingConfig(1, Duration.ZERO, 4),
                1,
                DynamicBatcher.BatchListener.NONE);
        closed.close(); // its dispatcher is gone, and the job is not stopping
        assertDown(started(closed).live(), "an encoder batch dispatcher died");
    }

    @Test
    void notReadyWhileRebalancingWithoutBrokersOrStopping() {
        AppHealth health = started(null);
        client.state = KafkaStreams.State.REBALANCING;
        assertTrue(health.live().up(), "rebalancing is live");
        assertDown(health.ready(), "REBALANCING");
        client.state = KafkaStreams.State.RUNNING;
        brokerProblem = "the Kafka cluster does not answer: TimeoutException";
        assertDown(health.ready(), "does not answer");
        brokerProblem = null;
        health.stopping();
        assertDown(health.ready(), "stopping");
        client.state = KafkaStreams.State.NOT_RUNNING;
        assertTrue(health.live().up(), "a stopped client is no failure once the job is stopping");
    }

    /** Regression: an encoder call that never returned was not seen by liveness. */
    @Test
    void aHungEncoderCallFailsLivenessAfterTheConfiguredTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        DynamicBatcher batcher = new DynamicBatcher(
                LambdaEncoder.of(1, batch -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return batch.toArray(float[][]::new);
                }),
                new BatchingConfig(1, Duration.ZERO, 4),
                1,
                DynamicBatcher.BatchListener.NONE);
        Properties settings = new Properties();
        settings.put("application.id", "health-test");
        settings.put("bootstrap.servers", "127.0.0.1:1");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        try (KafkaStreams streams = new KafkaStreams(builder.build(), settings)) {
            AppHealth health = new AppHealth(Duration.ofMillis(300));
            health.started(streams, batcher, null, null);
            assertTrue(health.live().up(), "live while the encoder is idle");
            batcher.submit(new float[] {1});
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            HealthCheck.Status live = health.live();
            while (live.up() && System.nanoTime() < deadline) {
                Thread.sleep(50);
                live = health.live();
            }
            assertFalse(live.up(), "down once the call has run longer than the bound");
            assertTrue(live.reason().contains("encoder call has not returned"), live.reason());
            release.countDown();
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!health.live().up() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(health.live().up(), "live again once it returns");
        } finally {
            release.countDown();
            batcher.close();
        }
    }

    @Test
    void aFailedStreamThreadsStaticMemberIsNamedAsKafkaStreamsNamesIt() {
        Properties settings = new Properties();
        settings.put("application.id", "app");
        settings.put("bootstrap.servers", "127.0.0.1:1");
        settings.put("group.instance.id", "clipguard-0");
        try (DeadThreadMembers members = new DeadThreadMembers(settings)) {
            assertTrue("clipguard-0-3".equals(members.memberOf("app-5f2c-StreamThread-3")));
            assertTrue(members.memberOf("main") == null);
        }
        settings.put("request.timeout.ms", "60000"); // a user's, larger than the remover's API timeout
        try (DeadThreadMembers members = new DeadThreadMembers(settings);
                org.apache.kafka.clients.admin.Admin admin =
                        org.apache.kafka.clients.admin.Admin.create(members.adminSettings())) {
            assertTrue(admin != null, "an admin client can be made with its settings (it once could not)");
        }
        settings.remove("group.instance.id");
        try (DeadThreadMembers members = new DeadThreadMembers(settings)) {
            assertTrue(members.memberOf("app-5f2c-StreamThread-3") == null, "dynamic members cannot be removed");
        }
    }
}
