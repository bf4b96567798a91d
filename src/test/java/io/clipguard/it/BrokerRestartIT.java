package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.local.LocalKafka;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-broker KRaft cluster (replication factor 3, min.insync.replicas 2) whose brokers are
 * restarted one by one while uploads flow: every upload has exactly one outcome.
 */
class BrokerRestartIT {

    @TempDir
    Path work;

    @Test
    void rollingBrokerRestartLosesAndDoublesNothing() throws Exception {
        try (KafkaClusterTestKit cluster = threeBrokers()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            try (FaultRun run = new FaultRun(
                    "brokers",
                    cluster.bootstrapServers(),
                    LocalSchemaRegistry.shared().url().toString(),
                    work,
                    3,
                    (short) 3)) {
                Properties settings = run.settings();
                settings.setProperty("replication.factor", "3");
                FaultRun.Job job = run.start("job", settings);
                run.warmUp("job");
                Thread uploads = run.sendGoodInBackground("good", 900, 30);
                try (Admin admin =
                        Admin.create(Map.<String, Object>of("bootstrap.servers", cluster.bootstrapServers()))) {
                    for (BrokerServer broker : cluster.brokers().values()) {
                        Thread.sleep(3_000);
                        broker.shutdown();
                        broker.awaitShutdown();
                        Thread.sleep(3_000);
                        broker.startup();
                        awaitFullIsr(admin, run.topics.get("uploads"));
                    }
                }
                uploads.join();
                OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(180));
                run.assertExactlyOnce(outcomes, Duration.ofSeconds(45));
                FaultRun.assertNoDeadLetters(outcomes);
                assertTrue(job.alive());
            }
        }
    }

    private static void awaitFullIsr(Admin admin, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            TopicDescription description = admin.describeTopics(java.util.List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic);
            if (description.partitions().stream().allMatch(p -> p.isr().size() == 3)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the restarted broker did not rejoin every ISR of " + topic + " within 60 s");
    }

    private KafkaClusterTestKit threeBrokers() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(false)
                .setNumBrokerNodes(3)
                .setNumControllerNodes(1)
                .setBaseDirectory(Files.createDirectories(work.resolve("cluster")))
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        return new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("default.replication.factor", "3")
                .setConfigProp("min.insync.replicas", "2")
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "3")
                .setConfigProp("transaction.state.log.min.isr", "2")
                .setConfigProp("transaction.state.log.num.partitions", "5")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("message.max.bytes", String.valueOf(LocalKafka.MAX_MESSAGE_BYTES))
                .setConfigProp("replica.fetch.max.bytes", String.valueOf(LocalKafka.MAX_MESSAGE_BYTES))
                .setDeleteOnClose(true)
                .build();
    }
}
