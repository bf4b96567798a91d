package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import io.clipguard.review.AuditEntry;
import io.clipguard.serde.JsonSerde;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes the console's own audit lines (publishing policies) to the audit topic, and waits for them. */
final class Audit implements AutoCloseable {

    private final String topic;
    private final KafkaProducer<String, AuditEntry> producer;

    Audit(Properties client, String topic) {
        this.topic = topic;
        Properties settings = KafkaConnection.settings(client);
        settings.setProperty("acks", "all");
        settings.setProperty("client.id", "console-audit");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new JsonSerde<>(AuditEntry.class));
    }

    void write(AuditEntry entry) throws ExecutionException, InterruptedException {
        producer.send(new ProducerRecord<>(topic, entry.actor(), entry)).get();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
