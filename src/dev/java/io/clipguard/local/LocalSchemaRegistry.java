package io.clipguard.local;

import io.clipguard.serde.Compatibility;
import io.clipguard.serde.HttpSchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real, in-memory Apicurio Registry (2.6.x) running as a child process on a free loopback port,
 * for the demo and the integration tests. {@link #url()} is its Confluent-compatible API.
 *
 * <p>The runner jar is looked up under a directory, {@value #DEFAULT_DIRECTORY} by default
 * (overridable with the system property {@value #DIRECTORY_PROPERTY}); Maven unpacks it there in
 * the generate-resources phase. The registry is started with the current JVM (or the one named by
 * {@value #JAVA_PROPERTY}), its output goes to {@code registry-logs/registry-<port>.log} next to
 * that directory, and its global compatibility is set to BACKWARD, Confluent's default. Its schema
 * ids deduplicate by canonical content, as Confluent's do.
 *
 * <p>{@link #close()} stops it (forcibly after {@link #STOP_GRACE}); a shutdown hook does the same
 * if the JVM exits first. {@link #shared()} gives one instance per JVM, for tests. Thread-safe.
 */
public final class LocalSchemaRegistry implements AutoCloseable {
    /** Where Maven unpacks {@code io.apicurio:apicurio-registry-app}, relative to the project. */
    public static final String DEFAULT_DIRECTORY = "target/registry";
    /** System property naming another registry directory. */
    public static final String DIRECTORY_PROPERTY = "clipguard.registry.dir";
    /** System property naming another {@code java} executable for the registry. */
    public static final String JAVA_PROPERTY = "clipguard.registry.java";
    /** How long {@link #start()} waits for readiness; cold starts take about 3-5 s. */
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    /** How long {@link #close()} waits for a graceful exit before killing the process. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(LocalSchemaRegistry.class);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static LocalSchemaRegistry shared;

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Duration startDuration;
    private final Thread shutdownHook;

    private LocalSchemaRegistry(Process process, int port, Path logFile, Duration startDuration) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.startDuration = startDuration;
        this.shutdownHook = new Thread(this::stopProcess, "local-schema-registry-stop-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a registry from the default (or system-property) directory. */
    public static LocalSchemaRegistry start() {
        Path directory = Path.of(System.getProperty(DIRECTORY_PROPERTY, DEFAULT_DIRECTORY));
        return start(directory, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts a registry and waits until it is ready and configured.
     *
     * @param registryDirectory where the unpacked {@code *-runner.jar} is
     * @param startTimeout how long to wait for readiness
     * @throws IllegalStateException when the runner jar is missing, the process exits, or it is not
     *     ready in time; the message points at the fix or at the log file
     */
    public static LocalSchemaRegistry start(Path registryDirectory, Duration startTimeout) {
        Path runnerJar = findRunnerJar(registryDirectory.toAbsolutePath().normalize());
        long startNanos = System.nanoTime();
        int port = freeLoopbackPort();
        Path logFile = runnerJar.getParent().resolveSibling("registry-logs").resolve("registry-" + port + ".log");
        Process process = launch(runnerJar, port, logFile);
        try {
            awaitReady(process, port, logFile, startTimeout);
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        Duration startDuration = Duration.ofNanos(System.nanoTime() - startNanos);
        LocalSchemaRegistry registry = new LocalSchemaRegistry(process, port, logFile, startDuration);
        try {
            new HttpSchemaRegistryClient(registry.url()).updateGlobalCompatibility(Compatibility.BACKWARD);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        LOG.info("Apicurio Registry ready at {} in {} ms (log: {})", registry.url(), startDuration.toMillis(), logFile);
        return registry;
    }

    /** One registry per JVM, started on first use and stopped when the JVM exits. */
    public static synchronized LocalSchemaRegistry shared() {
        if (shared == null || !shared.process.isAlive()) {
            shared = start();
        }
        return shared;
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port + CCOMPAT_PATH);
    }

    /** The loopback port the registry listens on. */
    public int port() {
        return port;
    }

    /** CPU time the registry's process has used so far, all its threads. */
    public Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The file the registry's stdout and stderr go to. */
    public Path logFile() {
        return logFile;
    }

    /** How long the start took, from launch to ready (compatibility setting excluded). */
    public Duration startDuration() {
        return startDuration;
    }

    /** Stops the registry; idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // The hook is running or about to; it stops the process itself.
            return;
        }
        stopProcess();
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path findRunnerJar(Path directory) {
        try (Stream<Path> files = Files.isDirectory(directory) ? Files.list(directory) : Stream.empty()) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("Apicurio Registry runner jar (*-runner.jar)"
                            + " not found in " + directory + ": run `mvn generate-resources` (or `mvn package`)"
                            + " to unpack io.apicurio:apicurio-registry-app there, or set -D" + DIRECTORY_PROPERTY));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static Process launch(Path runnerJar, int port, Path logFile) {
        String java = System.getProperty(
                JAVA_PROPERTY,
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = List.of(
                java,
                // Start-up speed and footprint over peak throughput: a test registry sees little load.
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx384m",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.banner.enabled=false",
                "-Dquarkus.datasource.jdbc.initial-size=1",
                "-Dquarkus.datasource.jdbc.min-size=1",
                "-Dquarkus.log.category.\"io.apicurio.common.apps.logging.audit\".level=WARN",
                // Same schema text modulo whitespace and docs gets the same id, as in Confluent's registry.
                "-Dregistry.ccompat.use-canonical-hash=true",
                "-jar",
                runnerJar.toString());
        try {
            Files.createDirectories(logFile.getParent());
            return new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    private static void awaitReady(Process process, int port, Path logFile, Duration timeout) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with status " + process.exitValue()
                        + " during start-up; see " + logFile);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // Expected until the HTTP server is up.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(POLL_INTERVAL);
        }
        throw new IllegalStateException("Apicurio Registry not ready within " + timeout.toSeconds() + " s on port "
                + port + "; see " + logFile);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Apicurio Registry", e);
        }
    }
}
