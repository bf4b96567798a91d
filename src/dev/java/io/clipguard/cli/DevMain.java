package io.clipguard.cli;

import java.util.List;

/**
 * The development command line: everything {@link Main} does, plus {@code demo} (a local broker,
 * registry and the tiny model, with sample uploads), {@code bench} (the speed benchmark) and {@code
 * profile} (CPU time per image of each stage, per input class). It lives
 * in {@code src/dev}, outside the production jar, with the local broker and registry it needs.
 */
public final class DevMain {

    private DevMain() {}

    public static void main(String[] args) {
        System.exit(Main.execute(
                args,
                List.of(
                        new DemoCommand(),
                        new ProfileCommand(),
                        new BenchCommand(),
                        new PdqBenchCommand(),
                        new ReviewBenchCommand())));
    }
}
