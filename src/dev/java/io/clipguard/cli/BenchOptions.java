package io.clipguard.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code bench} and {@code profile} both take: the model, policy and inputs, and where the report goes. */
final class BenchOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR")
    Path model;

    @Option(names = "--policy", required = true, paramLabel = "FILE")
    Path policy;

    @Option(names = "--photos", required = true, paramLabel = "DIR")
    Path photos;

    @Option(names = "--small", required = true, paramLabel = "DIR")
    Path small;

    @Option(names = "--out", paramLabel = "FILE", description = "append the report here")
    Path out;

    /** Prints the report, and appends it to {@code --out} after the command line that made it. */
    void report(String report) throws IOException {
        System.out.println(report);
        if (out != null) {
            String args = String.join(" ", spec.commandLine().getParseResult().originalArgs());
            Files.writeString(
                    out,
                    "\nCommand: `DevMain " + args + "`\n\n" + report,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }
}
