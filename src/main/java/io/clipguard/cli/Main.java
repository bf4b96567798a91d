package io.clipguard.cli;

import io.clipguard.config.ConfigException;
import io.clipguard.model.BundleException;
import io.clipguard.policy.PolicyException;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * The production jar's entry point.
 *
 * <pre>
 * clipguard run --config FILE                         the streaming job
 * clipguard score --model DIR --policy FILE IMAGE...  score images, one JSON line each, no Kafka
 * </pre>
 *
 * The demo and the benchmark, with the local broker and registry they start, are development
 * tools outside this jar ({@code src/dev}, see {@code DevMain}).
 */
public final class Main {

    private static final String USAGE =
            """
            usage:
              clipguard run --config FILE
              clipguard score --model DIR --policy FILE IMAGE...
              clipguard embed-policy --model DIR --policy FILE
              clipguard publish-policy --config FILE --policy FILE
              clipguard tune --policy FILE (--scored FILE --reviews FILE | --config FILE [--reviews-topic T])
                             [--target-precision P | --target-recall R] [--confidence C]
                             [--policy-version V] [--out DIR]
              (the demo and the benchmark are development tools: mvn -Pdemo package, deploy/bench/run.sh)
            """;

    private Main() {}

    public static void main(String[] args) throws Exception {
        main(args, Map.of());
    }

    /** Runs a command; {@code more} adds commands (the development tools add demo and bench). */
    static void main(String[] args, Map<String, Command> more) throws Exception {
        // DJL must never phone home: no downloads, no telemetry.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            if (more.containsKey(args[0])) {
                more.get(args[0]).run(rest);
                return;
            }
            switch (args[0]) {
                case "run" -> RunCommand.run(Arguments.parse(rest, Set.of("config")));
                case "score" ->
                    System.exit(
                            ScoreCommand.run(Arguments.parse(rest, Set.of("model", "policy", "engine")), System.out));
                case "embed-policy" ->
                    System.exit(EmbedPolicyCommand.run(Arguments.parse(rest, Set.of("model", "policy")), System.out));
                case "publish-policy" ->
                    System.exit(
                            PublishPolicyCommand.run(Arguments.parse(rest, Set.of("config", "policy")), System.out));
                case "tune" ->
                    System.exit(TuneCommand.run(
                            Arguments.parse(
                                    rest,
                                    Set.of(
                                            "policy",
                                            "scored",
                                            "reviews",
                                            "config",
                                            "reviews-topic",
                                            "target-precision",
                                            "target-recall",
                                            "confidence",
                                            "policy-version",
                                            "out")),
                            System.out));
                default -> {
                    System.err.print("unknown command '" + args[0] + "'\n" + USAGE);
                    System.exit(2);
                }
            }
        } catch (ConfigException | BundleException | PolicyException | IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** A command of the command line, given the arguments after its name. */
    @FunctionalInterface
    interface Command {
        void run(String[] args) throws Exception;
    }
}
