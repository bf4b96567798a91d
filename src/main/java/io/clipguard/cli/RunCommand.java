package io.clipguard.cli;

import io.clipguard.app.ModerationApp;
import io.clipguard.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code run --config FILE}: the streaming job, until the process is told to stop. */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the streaming job until it is told to stop (SIGTERM, SIGINT): it drains the uploads in flight,"
                    + " leaves the group and commits before it exits.",
            "Ready when GET /health/ready on the management port answers 200."
        })
public final class RunCommand implements Callable<Integer> {

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description =
                    "the job's properties: Kafka Streams settings and clipguard.* keys (see deploy/CONFIGURATION.md)")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        serveUntilStopped(ModerationApp.start(ConfigLoader.load(config)));
        return 0;
    }

    /**
     * Runs a started job until the process is told to stop (SIGTERM, SIGINT), then closes it: drain,
     * leave the group, commit. Logging is shut down last, so the log says what the stop did.
     */
    public static void serveUntilStopped(ModerationApp app) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            stopped.countDown();
                            LogManager.shutdown();
                        },
                        "clipguard-shutdown"));
        stopped.await();
    }
}
