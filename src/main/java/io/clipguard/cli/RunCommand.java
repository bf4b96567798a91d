package io.clipguard.cli;

import io.clipguard.app.ModerationApp;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code run --config FILE}: the streaming job, until the process is told to stop. */
final class RunCommand {

    private RunCommand() {}

    static void run(Arguments arguments) throws InterruptedException {
        AppConfig config = ConfigLoader.load(Path.of(arguments.required("config")));
        ModerationApp app = ModerationApp.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            app.close();
                            stopped.countDown();
                            org.apache.logging.log4j.LogManager.shutdown();
                        },
                        "clipguard-shutdown"));
        stopped.await();
    }
}
