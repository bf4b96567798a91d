package io.clipguard.cli;

import io.clipguard.config.ConfigException;
import io.clipguard.model.BundleException;
import io.clipguard.policy.PolicyException;
import java.util.Arrays;
import java.util.Set;

/**
 * The executable jar's entry point.
 *
 * <pre>
 * clipguard demo                                      local broker + registry + tiny model, sample uploads
 * clipguard run --config FILE                         the streaming job
 * clipguard score --model DIR --policy FILE IMAGE...  score images, one JSON line each, no Kafka
 * </pre>
 */
public final class Main {

    private static final String USAGE = """
            usage:
              clipguard demo
              clipguard run --config FILE
              clipguard score --model DIR --policy FILE IMAGE...
              clipguard bench --model DIR --policy FILE --photos DIR --small DIR [--out FILE]
              clipguard embed-policy --model DIR --policy FILE
              clipguard publish-policy --config FILE --policy FILE
              clipguard tune --policy FILE (--scored FILE --reviews FILE | --config FILE [--reviews-topic T])
                             [--target-precision P | --target-recall R] [--confidence C]
                             [--policy-version V] [--out DIR]
            """;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // DJL must never phone home: no downloads, no telemetry.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (args.length == 0) {
            System.err.print(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (args[0]) {
                case "demo" -> {
                    Arguments.parse(rest, Set.of()); // takes nothing: refuse what it would ignore
                    DemoCommand.run();
                }
                case "run" -> RunCommand.run(Arguments.parse(rest, Set.of("config")));
                case "score" -> System.exit(ScoreCommand.run(Arguments.parse(rest, Set.of("model", "policy", "engine")),
                        System.out));
                case "bench" -> BenchCommand.run(Arguments.parse(rest, Set.of("model", "policy", "photos", "small",
                        "batch", "delay-ms", "uploads", "load-seconds", "out")));
                case "embed-policy" -> System.exit(EmbedPolicyCommand.run(Arguments.parse(rest,
                        Set.of("model", "policy")), System.out));
                case "publish-policy" -> System.exit(PublishPolicyCommand.run(Arguments.parse(rest,
                        Set.of("config", "policy")), System.out));
                case "tune" -> System.exit(TuneCommand.run(Arguments.parse(rest, Set.of("policy", "scored", "reviews",
                        "config", "reviews-topic", "target-precision", "target-recall", "confidence", "policy-version",
                        "out")), System.out));
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
}
