package io.clipguard.it;

import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The same end-to-end contract on a containerised Apache Kafka broker, where a Docker engine exists.
 * Skipped (not failed) on machines without Docker.
 */
@Testcontainers(disabledWithoutDocker = true)
class ModerationPipelineContainerIT extends ModerationPipelineContract {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.0");

    @Override
    String bootstrapServers() {
        return KAFKA.getBootstrapServers();
    }
}
