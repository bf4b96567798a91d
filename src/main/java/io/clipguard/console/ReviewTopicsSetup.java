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
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

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
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    // several instances starting at once: another one made them
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            int requests = partitionsOf(admin, topics.requests());
            if (requests != partitions) {
                throw new IllegalStateException(topics.requests() + " has " + requests + " partitions and "
                        + topics.flagged() + " " + partitions + ": they must have as many, so that a queue's"
                        + " requests reach the task that holds its items");
            }
        }
    }

    /** The topic's partition count; a topic just created may take a moment to be described. */
    private static int partitionsOf(Admin admin, String topic) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .size();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    private static void addIfMissing(List<NewTopic> missing, Set<String> existing, NewTopic topic) {
        if (!existing.contains(topic.name())) {
            missing.add(topic);
        }
    }
}
