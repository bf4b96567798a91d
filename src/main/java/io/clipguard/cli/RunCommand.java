package io.clipguard.cli;

import io.clipguard.app.ModerationApp;
import io.clipguard.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;

/** {@code run --config FILE}: the streaming job, until the process is told to stop. */
public final class RunCommand {

    private RunCommand() {}

    static void run(Arguments arguments) throws InterruptedException {
        serveUntilStopped(ModerationApp.start(ConfigLoader.load(Path.of(arguments.required("config")))));
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
