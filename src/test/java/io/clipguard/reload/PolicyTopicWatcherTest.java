package io.clipguard.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.policy.ImageEmbedder;
import io.clipguard.policy.PolicyEmbedder;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class PolicyTopicWatcherTest {

    private static final String V1 =
            """
            id: p
            version: 1
            labels:
              - {id: red, prompts: [red], action: block, threshold: 0.5}
            """;

    private final PolicyEmbedder embedder = new PolicyEmbedder(
            "m",
            10f,
            prompts -> prompts.stream().map(p -> new float[] {1, 0}).toArray(float[][]::new),
            ImageEmbedder.NONE);
    private final PolicyHolder holder =
            new PolicyHolder(embedder.embed(PolicyLoader.parse(V1, "v1")), embedder, Path.of(""));

    @Test
    void watcherKeepsGoingAfterABrokerOutageInsteadOfDyingForGood() throws Exception {
        TopicPartition partition = new TopicPartition("policies", 0);
        MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        consumer.updatePartitions("policies", List.of(new PartitionInfo("policies", 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 0L));
        consumer.setPollException(new TimeoutException("broker unavailable"));
        try (PolicyTopicWatcher watcher = PolicyTopicWatcher.start("policies", Map.of("p", holder), consumer)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            boolean offered = false;
            while (!holder.get().policy().version().equals("2")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the policy published after the outage never took effect");
                }
                if (!offered && !consumer.assignment().isEmpty()) {
                    consumer.schedulePollTask(() -> consumer.addRecord(
                            new ConsumerRecord<>("policies", 0, 0, "p", V1.replace("version: 1", "version: 2"))));
                    offered = true;
                }
                Thread.sleep(20);
            }
            assertEquals("2", holder.get().policy().version());
        }
    }
}
