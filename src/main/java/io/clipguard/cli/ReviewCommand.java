package io.clipguard.cli;

import io.clipguard.config.ConfigLoader;
import io.clipguard.console.Passwords;
import io.clipguard.console.ReviewConsole;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.logging.log4j.LogManager;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code review --config FILE}: the review console, until the process is told to stop. */
@Command(
        name = "review",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the review console (clipguard.review.bind and .port): reviewers claim flagged uploads from"
                    + " their queues and decide them; admins tune and publish policies. Same config file as run.",
            "--hash-password reads a password from standard input and prints the hash for"
                    + " clipguard.review.user.NAME.password."
        })
final class ReviewCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "the job's properties (see deploy/CONFIGURATION.md)")
    Path config;

    @Option(names = "--hash-password", description = "print the hash of a password read from standard input, and exit")
    boolean hashPassword;

    @Override
    public Integer call() throws Exception {
        if (hashPassword) {
            System.out.println(Passwords.hash(readPassword()));
            return 0;
        }
        if (config == null) {
            throw new IllegalArgumentException("give --config FILE (or --hash-password)");
        }
        ReviewConsole console = ReviewConsole.start(ConfigLoader.load(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            stopped.countDown();
                            LogManager.shutdown();
                        },
                        "clipguard-review-shutdown"));
        stopped.await();
        return 0;
    }

    private static char[] readPassword() throws IOException {
        Console terminal = System.console();
        if (terminal != null) {
            return terminal.readPassword("password: ");
        }
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
            throw new IllegalArgumentException("no password on standard input");
        }
        return line.toCharArray();
    }
}
