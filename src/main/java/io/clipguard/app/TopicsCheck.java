package io.clipguard.app;

import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigException;
import io.clipguard.config.KafkaConnection;
import io.clipguard.topics.ClusterTopics;
import io.clipguard.topics.TopicSpec;
import io.clipguard.topics.TopicSpecs;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, when {@code clipguard.topics.file} is set: the cluster's topics must be what the file
 * says (partitions, replication factor, the configs it names), or the job refuses to start and says
 * how each differs. A topic with too little {@code max.message.bytes} for inline images, or a
 * replication factor of 1 in production, is found here rather than by the first upload that hits it.
 */
final class TopicsCheck {

    private static final Logger LOG = LoggerFactory.getLogger(TopicsCheck.class);

    private TopicsCheck() {}

    static void check(AppConfig config) {
        if (config.topicsFile().isEmpty()) {
            return;
        }
        Path file = config.topicsFile().get();
        List<TopicSpec> specs = TopicSpecs.load(file, config.topicNamesByRole());
        Properties settings = KafkaConnection.settings(config.streams());
        settings.setProperty(AdminClientConfig.CLIENT_ID_CONFIG, "clipguard-topics-check");
        settings.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "60000");
        List<ClusterTopics.Difference> differences;
        try (Admin admin = Admin.create(settings)) {
            differences = new ClusterTopics(admin).differences(specs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigException("interrupted while checking the topics against " + file);
        } catch (IllegalStateException e) {
            throw new ConfigException("cannot check the topics against " + file + ": " + e.getMessage()
                    + " (the job needs Describe and DescribeConfigs on its topics)");
        }
        if (!differences.isEmpty()) {
            throw new ConfigException("the topics differ from " + file + ":\n  "
                    + differences.stream().map(Object::toString).collect(Collectors.joining("\n  "))
                    + "\nbring them in line with `clipguard topics apply --config FILE`, or change the file");
        }
        LOG.info(
                "topics as {} says: {}",
                file,
                specs.stream().map(TopicSpec::name).toList());
    }
}
