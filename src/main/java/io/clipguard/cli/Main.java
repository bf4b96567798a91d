package io.clipguard.cli;

import io.clipguard.config.ConfigException;
import io.clipguard.model.BundleException;
import io.clipguard.policy.PolicyException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.common.utils.AppInfoParser;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The production jar's entry point: {@code clipguard COMMAND [OPTIONS]}, each command a class of this
 * package. {@code clipguard --help}, {@code clipguard COMMAND --help} and {@code --version} describe
 * them; an unknown or misspelt option is refused with a suggestion.
 *
 * <p>The demo and the benchmark, with the local broker and registry they start, are development tools
 * outside this jar ({@code src/dev}, see {@code DevMain}).
 */
@Command(
        name = "clipguard",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Real-time image moderation on Kafka: CLIP zero-shot scores against a policy in plain words.",
        subcommands = {
            RunCommand.class,
            ScoreCommand.class,
            EmbedPolicyCommand.class,
            PublishPolicyCommand.class,
            TuneCommand.class,
            TopicsCommand.class,
            ReplayDeadLettersCommand.class,
            ReviewCommand.class,
            BankCommand.class,
            AutoComplete.GenerateCompletion.class
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done; for run, stopped when told to (SIGTERM, SIGINT)",
            "1:done, but some inputs failed (an image not scored, a topic that differs from its spec),"
                    + " or a failure at run time (the cluster, the model)",
            "2:wrong usage or configuration: an unknown option, a missing file, a bad config key, policy or"
                    + " model bundle (the message names it)"
        },
        footer = "%nDocumentation: README.md; operating it: deploy/OPERATING.md.")
public final class Main implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, List.of()));
    }

    /**
     * Runs a command and returns its exit code; {@code more} adds commands (the development tools add
     * demo, bench and profile).
     */
    public static int execute(String[] args, List<Object> more) {
        return commandLine(more).execute(args);
    }

    static CommandLine commandLine(List<Object> more) {
        // DJL must never phone home: no downloads, no telemetry.
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        CommandLine commandLine = new CommandLine(new Main());
        more.forEach(commandLine::addSubcommand);
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException
                    || e instanceof org.apache.kafka.common.config.ConfigException // the serde's settings
                    || e instanceof BundleException
                    || e instanceof PolicyException
                    || e instanceof IllegalArgumentException) {
                cmd.getErr().println("error: " + e.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            throw e;
        });
        commandLine.setParameterExceptionHandler(Main::refuse);
        return commandLine;
    }

    /** Without a command: the usage, on stderr, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** A usage error: what is wrong, a suggestion where there is one, and where help is; exit code 2. */
    private static int refuse(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (!(e instanceof UnmatchedArgumentException)
                && !cmd.getUnmatchedArguments().isEmpty()) {
            // picocli reports missing options before unknown ones: a misspelt --model is the real problem
            e = new UnmatchedArgumentException(cmd, cmd.getUnmatchedArguments());
        }
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return 2;
    }

    /** The jar's version, and the versions it was built with that matter to an operator. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "clipguard " + (version == null ? "(development build)" : version),
                "Kafka clients " + AppInfoParser.getVersion() + ", Java " + Runtime.version()
            };
        }
    }
}
