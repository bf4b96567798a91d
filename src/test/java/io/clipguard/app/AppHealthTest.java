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
