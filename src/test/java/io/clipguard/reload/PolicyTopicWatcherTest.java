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

    /** Regression: an Error while embedding a new version ended the watcher in silence. */
    @Test
    void anErrorWhileEmbeddingANewVersionIsRetriedAndTheWatcherStaysAlive() throws Exception {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        PolicyEmbedder failingOnce = new PolicyEmbedder(
                "m",
                10f,
                prompts -> {
                    if (prompts.contains("green") && calls.getAndIncrement() == 0) {
                        throw new OutOfMemoryError("Java heap space (injected)");
                    }
                    return prompts.stream().map(p -> new float[] {1, 0}).toArray(float[][]::new);
                },
                ImageEmbedder.NONE);
        PolicyHolder failing =
                new PolicyHolder(failingOnce.embed(PolicyLoader.parse(V1, "v1")), failingOnce, Path.of(""));
        TopicPartition partition = new TopicPartition("policies", 0);
        MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        consumer.updatePartitions("policies", List.of(new PartitionInfo("policies", 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 0L));
        String v2 = V1.replace("version: 1", "version: 2")
                + "  - {id: green, prompts: [green], action: review, threshold: 0.5}\n";
        try (PolicyTopicWatcher watcher = PolicyTopicWatcher.start("policies", Map.of("p", failing), consumer)) {
            long deadline = System.nanoTime() + 20_000_000_000L;
            boolean offered = false;
            boolean redelivered = false;
            while (!failing.get().policy().version().equals("2")) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the version whose embedding failed once never took effect");
                }
                if (!offered && !consumer.assignment().isEmpty()) {
                    consumer.schedulePollTask(
                            () -> consumer.addRecord(new ConsumerRecord<>("policies", 0, 0, "p", v2)));
                    offered = true;
                }
                if (calls.get() == 1 && !redelivered) {
                    // a mock consumer does not fetch again: what a broker returns after the watcher's seek
                    // back (a watcher that moved on past offset 0 would skip it)
                    consumer.schedulePollTask(
                            () -> consumer.addRecord(new ConsumerRecord<>("policies", 0, 0, "p", v2)));
                    redelivered = true;
                }
                org.junit.jupiter.api.Assertions.assertTrue(watcher.alive(), "the watcher is alive");
                Thread.sleep(20);
            }
            assertEquals(2, calls.get(), "failed once, then embedded on the second offer");
            org.junit.jupiter.api.Assertions.assertTrue(watcher.alive());
        }
    }
}
