package io.clipguard.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LocalKafka} broker in a JVM of its own, on loopback, so that what the broker costs is not
 * counted as the moderation job's CPU (the benchmark reads each process's CPU time). Its output goes
 * to a {@code target/local-kafka-*.log} file.
 */
public final class LocalKafkaProcess implements AutoCloseable {

    /** The line the child prints, followed by its bootstrap servers, once it serves requests. */
    static final String READY = "local-kafka-ready bootstrap.servers=";

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;

    private final Thread shutdownHook;

    /**
     * The JVM arguments Kafka's documentation gives as typical for a broker ("Java Version" in its
     * operations guide), with a 1 GB heap instead of 6. With the JVM's default 1 MB regions at this
     * heap every produce request carrying a photograph inline is a humongous allocation: one tiny-model
     * benchmark run cost the broker 115 concurrent GC cycles, 39 with these 16 MB regions (requests
     * carrying several photographs still pass 8 MB). Its CPU per photograph did not measurably change.
     */
    static final List<String> BROKER_JVM_OPTIONS = List.of(
            "-Xmx1g",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35",
            "-XX:G1HeapRegionSize=16M",
            "-XX:MetaspaceSize=96m",
            "-XX:MinMetaspaceFreeRatio=50",
            "-XX:MaxMetaspaceFreeRatio=80",
            "-XX:+ExplicitGCInvokesConcurrent");

    private LocalKafkaProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.shutdownHook = new Thread(process::destroyForcibly, "local-kafka-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts the child and waits until the broker serves requests. */
    public static LocalKafkaProcess start(Duration timeout) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Files.createDirectories(Path.of("target")), "local-kafka-", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(BROKER_JVM_OPTIONS);
        // for profiling the broker, for example -XX:StartFlightRecording=filename=broker.jfr,settings=profile
        String extra =
                System.getProperty("clipguard.local.broker-jvm-options", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), LocalKafka.class.getName()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            String bootstrapServers = awaitReady(process, log, timeout);
            return new LocalKafkaProcess(process, bootstrapServers);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private static String awaitReady(Process process, Path log, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the local broker exited with " + process.exitValue() + "; see " + log);
            }
            for (String line : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith(READY)) {
                    return line.substring(READY.length()).trim();
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the local broker did not start in " + timeout + "; see " + log);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** CPU time the broker's process has used so far, all its threads. */
    public Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    @Override
    public void close() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            return; // the hook stops the broker
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
