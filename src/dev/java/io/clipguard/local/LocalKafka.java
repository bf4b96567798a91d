package io.clipguard.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka broker inside this JVM, listening on loopback only, for the demo
 * and the integration tests. Starts in a few seconds; data lives in a temporary directory that is
 * deleted on close. Not for production.
 */
public final class LocalKafka implements AutoCloseable {

    /** The largest message the local broker takes: room for real photographs sent inline. */
    public static final int MAX_MESSAGE_BYTES = 20 * 1024 * 1024;

    private final KafkaClusterTestKit cluster;

    private LocalKafka(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /**
     * Runs a broker in this JVM until the process is stopped, printing {@link
     * LocalKafkaProcess#READY} and the bootstrap servers once it serves requests: {@link
     * LocalKafkaProcess} starts it this way, so that a benchmark can tell the broker's CPU apart.
     */
    public static void main(String[] args) throws Exception {
        LocalKafka kafka = start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                kafka.close();
            } catch (Exception e) {
                e.printStackTrace();
            }
        }));
        System.out.println(LocalKafkaProcess.READY + kafka.bootstrapServers());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    /** Formats and starts a broker, and waits until it serves requests. */
    public static LocalKafka start() throws Exception {
        Path baseDir = Files.createTempDirectory("clipguard-kafka");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(baseDir)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("unstable.api.versions.enable", "false")
                .setConfigProp("unstable.feature.versions.enable", "false")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "5")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                .setConfigProp("replica.fetch.max.bytes", String.valueOf(MAX_MESSAGE_BYTES))
                .setDeleteOnClose(true)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new LocalKafka(cluster);
    }

    /** The bootstrap servers, for example {@code localhost:41235}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates topics with the given partition count, replication factor 1. */
    public void createTopics(int partitions, List<String> names) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(names.stream()
                            .map(name -> new NewTopic(name, partitions, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
