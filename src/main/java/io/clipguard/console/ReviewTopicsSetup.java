package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import io.clipguard.topology.ReviewTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Creates the console's topics where they are missing, like the flagged topic they follow: the requests
 * topic with as many partitions as the flagged topic (a queue's requests must reach the task that holds
 * its items), the queues topic compacted. A requests topic with another partition count stops the
 * console at start.
 */
final class ReviewTopicsSetup {

    private ReviewTopicsSetup() {}

    static void ensure(Properties client, ReviewTopics topics) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(KafkaConnection.settings(client))) {
            TopicDescription flagged = admin.describeTopics(List.of(topics.flagged()))
                    .allTopicNames()
                    .get()
                    .get(topics.flagged());
            int partitions = flagged.partitions().size();
            short replication = (short) flagged.partitions().get(0).replicas().size();
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            addIfMissing(missing, existing, new NewTopic(topics.requests(), partitions, replication));
            addIfMissing(missing, existing, new NewTopic(topics.replies(), partitions, replication));
            addIfMissing(missing, existing, new NewTopic(topics.reviews(), partitions, replication));
            addIfMissing(missing, existing, new NewTopic(topics.audit(), 1, replication));
            addIfMissing(
                    missing,
                    existing,
                    new NewTopic(topics.queues(), 1, replication).configs(Map.of("cleanup.policy", "compact")));
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            int requests = admin.describeTopics(List.of(topics.requests()))
                    .allTopicNames()
                    .get()
                    .get(topics.requests())
                    .partitions()
                    .size();
            if (requests != partitions) {
                throw new IllegalStateException(topics.requests() + " has " + requests + " partitions and "
                        + topics.flagged() + " " + partitions + ": they must have as many, so that a queue's"
                        + " requests reach the task that holds its items");
            }
        }
    }

    private static void addIfMissing(List<NewTopic> missing, Set<String> existing, NewTopic topic) {
        if (!existing.contains(topic.name())) {
            missing.add(topic);
        }
    }
}
