package io.clipguard.cli;

import java.util.Map;
import java.util.Set;

/**
 * The development command line: everything {@link Main} does, plus {@code demo} (a local broker,
 * registry and the tiny model, with sample uploads), {@code bench} (the speed benchmark) and {@code
 * profile} (CPU time per image of each stage, per input class). It lives
 * in {@code src/dev}, outside the production jar, with the local broker and registry it needs.
 */
public final class DevMain {

    private DevMain() {}

    public static void main(String[] args) throws Exception {
        Main.main(
                args,
                Map.of(
                        "demo",
                                rest -> {
                                    Arguments.parse(rest, Set.of()); // takes nothing: refuse what it would ignore
                                    DemoCommand.run();
                                },
                        "profile",
                                rest -> ProfileCommand.run(Arguments.parse(
                                        rest, Set.of("model", "policy", "photos", "small", "repeat", "out"))),
                        "bench",
                                rest -> BenchCommand.run(Arguments.parse(
                                        rest,
                                        Set.of(
                                                "model",
                                                "policy",
                                                "photos",
                                                "small",
                                                "batch",
                                                "delay-ms",
                                                "uploads",
                                                "load-seconds",
                                                "out")))));
    }
}
