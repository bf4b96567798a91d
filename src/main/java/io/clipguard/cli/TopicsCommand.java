package io.clipguard.cli;

import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.config.KafkaConnection;
import io.clipguard.topics.ClusterTopics;
import io.clipguard.topics.TopicSpec;
import io.clipguard.topics.TopicSpecs;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code topics check|apply --config FILE [--file TOPICS]}: the topics as code. {@code check} prints
 * how the cluster's topics differ from their specs; {@code apply} creates the missing ones, adds
 * partitions and sets configs, then prints what it could not do (fewer partitions, another replication
 * factor). Both exit 1 while anything differs.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = {
            "Checks or applies the topics' specs (partitions, replication factor, configs) of every topic the job"
                    + " reads and writes. The names come from --config, the specs from --file or the config's"
                    + " clipguard.topics.file (see deploy/kubernetes/base/topics.yaml).",
            "Exits 1 while a topic differs from its spec."
        })
final class TopicsCommand implements Callable<Integer> {

    enum Action {
        check,
        apply
    }

    @Parameters(index = "0", paramLabel = "ACTION", description = "check or apply")
    Action action;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
    Path configFile;

    @Option(
            names = "--file",
            paramLabel = "TOPICS",
            description = "the topics' specs (YAML); default: clipguard.topics.file of the config")
    Path topicsFile;

    @Override
    public Integer call() throws InterruptedException {
        return run(System.out);
    }

    int run(PrintStream out) throws InterruptedException {
        AppConfig config = ConfigLoader.load(configFile);
        Path file = topicsFile != null
                ? topicsFile
                : config.topicsFile()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "give --file, or set clipguard.topics.file in " + configFile));
        List<TopicSpec> specs = TopicSpecs.load(file, config.topicNamesByRole());
        Properties settings = KafkaConnection.settings(config.streams());
        settings.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "clipguard-topics");
        try (Admin admin = Admin.create(settings)) {
            ClusterTopics topics = new ClusterTopics(admin);
            List<ClusterTopics.Difference> differences = topics.differences(specs);
            if (action == Action.apply && !differences.isEmpty()) {
                differences.stream().filter(ClusterTopics.Difference::fixable).forEach(d -> out.println("fixing " + d));
                differences = topics.apply(specs);
            }
            for (ClusterTopics.Difference difference : differences) {
                out.println((difference.fixable() ? "differs: " : "cannot fix: ") + difference);
            }
            if (differences.isEmpty()) {
                out.println(specs.size() + " topics as " + file + " says: "
                        + String.join(", ", specs.stream().map(TopicSpec::name).toList()));
                return 0;
            }
            return 1;
        }
    }
}
