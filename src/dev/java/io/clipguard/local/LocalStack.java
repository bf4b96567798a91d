package io.clipguard.local;

import io.clipguard.topology.TopicNames;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A local broker and a local schema registry, started side by side, with the moderation topics
 * created. For the demo and the integration tests; everything listens on loopback only.
 */
public final class LocalStack implements AutoCloseable {

    private final LocalKafka kafka;
    private final LocalSchemaRegistry registry;

    private LocalStack(LocalKafka kafka, LocalSchemaRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    /** Starts both (in parallel: the registry takes longest) and creates the topics. */
    public static LocalStack start(TopicNames topics, int uploadPartitions) throws Exception {
        CompletableFuture<LocalSchemaRegistry> registry = CompletableFuture.supplyAsync(LocalSchemaRegistry::start);
        LocalKafka kafka = LocalKafka.start();
        LocalStack stack = new LocalStack(kafka, registry.join());
        kafka.createTopics(uploadPartitions, List.of(topics.uploads()));
        kafka.createTopics(1, List.of(topics.scored(), topics.flagged(), topics.dlq()));
        return stack;
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** The registry's Confluent-compatible URL. */
    public String registryUrl() {
        return registry.url().toString();
    }

    @Override
    public void close() throws Exception {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
