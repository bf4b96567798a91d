package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import io.clipguard.review.AuditEntry;
import io.clipguard.serde.JsonSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a policy to the policy topic and its audit line to the audit topic in one transaction:
 * a policy the pipeline takes up is always audited, and a failed publish leaves neither. The pipeline's
 * policy watcher reads read_committed. One publish at a time.
 */
final class Publisher implements AutoCloseable {

    private final String auditTopic;
    private final KafkaProducer<String, byte[]> producer;
    private final JsonSerde<AuditEntry> audit = new JsonSerde<>(AuditEntry.class);

    Publisher(Properties client, String auditTopic) {
        this.auditTopic = auditTopic;
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("client.id", "console-policy-publisher");
        settings.setProperty("transactional.id", "clipguard-console-publisher-" + UUID.randomUUID());
        settings.setProperty("max.block.ms", "15000");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        producer.initTransactions();
    }

    /** Publishes {@code yaml} under {@code policyId} with its audit line; throws when it did not happen. */
    synchronized void publish(String policyTopic, String policyId, String yaml, AuditEntry entry)
            throws ExecutionException, InterruptedException {
        try {
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(policyTopic, policyId, yaml.getBytes(StandardCharsets.UTF_8)));
            producer.send(new ProducerRecord<>(auditTopic, entry.actor(), audit.serialize(auditTopic, entry)));
            producer.commitTransaction();
        } catch (KafkaException e) {
            try {
                producer.abortTransaction();
            } catch (KafkaException ignored) {
                // the producer is fenced or closed: the transaction is aborted by the broker
            }
            throw new ExecutionException(e);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
