package io.clipguard.topics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Compares topic specs with the cluster and brings the cluster in line. What can be applied: creating
 * a missing topic, adding partitions, setting topic configs. What cannot, and is only reported: fewer
 * partitions (Kafka cannot remove them), more partitions on the uploads topic (the application's tasks
 * and its store's changelog follow its count: that takes a reset) and another replication factor (a
 * partition reassignment,
 * {@code kafka-reassign-partitions.sh}). Not thread-safe; the admin client is the caller's.
 */
public final class ClusterTopics {

    /** One way a topic differs from its spec; {@code fixable} when {@link #apply} can fix it. */
    public record Difference(TopicSpec spec, String what, boolean fixable) {
        @Override
        public String toString() {
            return spec.name() + " (" + spec.role() + "): " + what;
        }
    }

    /** The topic Kafka Streams reads: its partitions are its tasks and its store's changelog partitions. */
    private static final String INPUT_ROLE = "uploads";

    private final Admin admin;

    public ClusterTopics(Admin admin) {
        this.admin = admin;
    }

    /** Every way the cluster's topics differ from the specs; empty when they match. */
    public List<Difference> differences(Collection<TopicSpec> specs) throws InterruptedException {
        List<Difference> differences = new ArrayList<>();
        Map<String, TopicDescription> described = describe(specs);
        Map<String, Config> configs = configs(described.keySet());
        for (TopicSpec spec : specs) {
            TopicDescription topic = described.get(spec.name());
            if (topic == null) {
                differences.add(new Difference(spec, "does not exist", true));
                continue;
            }
            int partitions = topic.partitions().size();
            if (partitions < spec.partitions() && spec.role().equals(INPUT_ROLE)) {
                differences.add(new Difference(
                        spec,
                        "has " + partitions + " partitions, the spec " + spec.partitions()
                                + " (not added to a running application's input: the in-flight store's changelog"
                                + " keeps its count; reset the application first, deploy/RUNBOOKS.md)",
                        false));
            } else if (partitions < spec.partitions()) {
                differences.add(
                        new Difference(spec, "has " + partitions + " partitions, the spec " + spec.partitions(), true));
            } else if (partitions > spec.partitions()) {
                differences.add(new Difference(
                        spec,
                        "has " + partitions + " partitions, the spec " + spec.partitions()
                                + " (Kafka cannot remove partitions: change the spec)",
                        false));
            }
            int replicas = topic.partitions().get(0).replicas().size();
            if (replicas != spec.replicationFactor()) {
                differences.add(new Difference(
                        spec,
                        "has replication factor " + replicas + ", the spec " + spec.replicationFactor()
                                + " (reassign its partitions with kafka-reassign-partitions.sh)",
                        false));
            }
            Config config = configs.get(spec.name());
            spec.configs().forEach((key, wanted) -> {
                ConfigEntry entry = config.get(key);
                String actual = entry == null ? null : entry.value();
                if (!sameValue(wanted, actual)) {
                    differences.add(new Difference(spec, key + " is " + actual + ", the spec " + wanted, true));
                }
            });
        }
        return differences;
    }

    /**
     * Fixes what can be fixed: creates missing topics, adds partitions, sets configs.
     *
     * @return the differences that remain (those that cannot be fixed this way)
     */
    public List<Difference> apply(Collection<TopicSpec> specs) throws InterruptedException {
        Map<String, TopicDescription> described = describe(specs);
        List<NewTopic> missing = new ArrayList<>();
        Map<String, NewPartitions> grow = new HashMap<>();
        Map<ConfigResource, Collection<AlterConfigOp>> set = new HashMap<>();
        for (TopicSpec spec : specs) {
            TopicDescription topic = described.get(spec.name());
            if (topic == null) {
                missing.add(
                        new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor()).configs(spec.configs()));
                continue;
            }
            if (topic.partitions().size() < spec.partitions() && !spec.role().equals(INPUT_ROLE)) {
                grow.put(spec.name(), NewPartitions.increaseTo(spec.partitions()));
            }
            set.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, spec.name()),
                    spec.configs().entrySet().stream()
                            .map(c -> new AlterConfigOp(
                                    new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                            .toList());
        }
        await(admin.createTopics(missing).all());
        await(admin.createPartitions(grow).all());
        await(admin.incrementalAlterConfigs(set).all());
        return differences(specs);
    }

    /** Equal as Kafka means them: list items without the spaces around commas, numbers by value. */
    static boolean sameValue(String wanted, String actual) {
        if (actual == null) {
            return false;
        }
        String a = wanted.trim().replaceAll("\\s*,\\s*", ",");
        String b = actual.trim().replaceAll("\\s*,\\s*", ",");
        if (a.equals(b)) {
            return true;
        }
        try {
            return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Map<String, TopicDescription> describe(Collection<TopicSpec> specs) throws InterruptedException {
        Map<String, TopicDescription> described = new HashMap<>();
        var results = admin.describeTopics(
                        specs.stream().map(TopicSpec::name).distinct().toList())
                .topicNameValues();
        for (var result : results.entrySet()) {
            try {
                described.put(result.getKey(), result.getValue().get());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException(
                            "cannot describe topic " + result.getKey() + ": "
                                    + e.getCause().getMessage(),
                            e);
                }
            }
        }
        return described;
    }

    private Map<String, Config> configs(Collection<String> topics) throws InterruptedException {
        Map<ConfigResource, Config> configs = await(admin.describeConfigs(topics.stream()
                        .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                        .toList())
                .all());
        return configs.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private static <T> T await(org.apache.kafka.common.KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        }
    }
}
