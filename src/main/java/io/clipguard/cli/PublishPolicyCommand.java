package io.clipguard.cli;

import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.config.KafkaConnection;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code publish-policy --config FILE --policy FILE}: validates a policy and publishes it to the
 * configured policy topic ({@code clipguard.topic.policy}), keyed by its id, where every running
 * instance takes it up. Instances still reject it if it cannot be embedded there.
 */
final class PublishPolicyCommand {

    private PublishPolicyCommand() {}

    static int run(Arguments arguments, PrintStream out) throws Exception {
        AppConfig config = ConfigLoader.load(Path.of(arguments.required("config")));
        String topic = config.policy()
                .topic()
                .orElseThrow(() -> new IllegalArgumentException(
                        "clipguard.topic.policy is not set in " + arguments.required("config")));
        Path file = Path.of(arguments.required("policy"));
        Policy policy = PolicyLoader.load(file);
        Properties settings = KafkaConnection.settings(config.streams());
        settings.setProperty("acks", "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(settings, new StringSerializer(), new StringSerializer())) {
            RecordMetadata sent = producer.send(new ProducerRecord<>(topic, policy.id(), Files.readString(file)))
                    .get();
            out.printf(
                    "published policy %s v%s to %s[%d]@%d%n",
                    policy.id(), policy.version(), topic, sent.partition(), sent.offset());
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not publish to " + topic + ": " + e.getCause().getMessage(), e);
        }
        return 0;
    }
}
