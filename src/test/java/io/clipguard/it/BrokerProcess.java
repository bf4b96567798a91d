package io.clipguard.it;

import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * A real KRaft broker (combined broker and controller) as a process of its own, from the jars on the
 * test classpath, on fixed loopback ports and one log directory: it can be SIGKILLed with
 * transactions open and started again as the same broker, as a crashed broker restarts.
 */
final class BrokerProcess implements AutoCloseable {

    private static final String CLUSTER_ID = "MkU3OEVBNTcwNTJENDM2Qk";

    private final Path config;
    private final Path log;
    private final int port;
    private Process process;

    BrokerProcess(Path dir) throws Exception {
        this.port = freePort();
        int controllerPort = freePort();
        Properties settings = new Properties();
        settings.setProperty("process.roles", "broker,controller");
        settings.setProperty("node.id", "1");
        settings.setProperty("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        settings.setProperty(
                "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        settings.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        settings.setProperty("controller.listener.names", "CONTROLLER");
        settings.setProperty("inter.broker.listener.name", "PLAINTEXT");
        settings.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        settings.setProperty("log.dirs", dir.resolve("logs").toString());
        settings.setProperty("offsets.topic.replication.factor", "1");
        settings.setProperty("offsets.topic.num.partitions", "5");
        settings.setProperty("transaction.state.log.replication.factor", "1");
        settings.setProperty("transaction.state.log.min.isr", "1");
        settings.setProperty("transaction.state.log.num.partitions", "5");
        settings.setProperty("group.initial.rebalance.delay.ms", "0");
        settings.setProperty("message.max.bytes", String.valueOf(20 * 1024 * 1024));
        settings.setProperty("replica.fetch.max.bytes", String.valueOf(20 * 1024 * 1024));
        this.config = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            settings.store(out, "a broker that can be killed");
        }
        this.log = Path.of("target", "broker-process-" + port + ".log");
        Process format = java(
                        "kafka.tools.StorageTool",
                        "format",
                        "--standalone",
                        "--cluster-id=" + CLUSTER_ID,
                        "-c",
                        config.toString())
                .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            throw new IllegalStateException("formatting the broker's storage failed; see " + log);
        }
    }

    /** Starts the broker (again) and waits until it answers. */
    void start() throws Exception {
        process = java("kafka.Kafka", config.toString()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        try (Admin admin = Admin.create(Map.<String, Object>of(
                "bootstrap.servers", bootstrapServers(), "request.timeout.ms", 2000, "default.api.timeout.ms", 3000))) {
            while (true) {
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new IllegalStateException("the broker did not start; see " + log, notYet);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /** SIGKILL: no controlled shutdown, transactions left open, nothing flushed on purpose. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    private ProcessBuilder java(String main, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
