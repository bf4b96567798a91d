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
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code publish-policy --config FILE --policy FILE}: validates a policy and publishes it to the
 * configured policy topic ({@code clipguard.topic.policy}), keyed by its id, where every running
 * instance takes it up. Instances still reject it if it cannot be embedded there.
 */
@Command(
        name = "publish-policy",
        mixinStandardHelpOptions = true,
        description = "Validates a policy and publishes it to the policy topic (clipguard.topic.policy), where every"
                + " running instance takes it up without a restart.")
final class PublishPolicyCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
    Path configFile;

    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "the policy (YAML)")
    Path file;

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    int run(PrintStream out) throws Exception {
        AppConfig config = ConfigLoader.load(configFile);
        String topic = config.policy()
                .topic()
                .orElseThrow(() -> new IllegalArgumentException("clipguard.topic.policy is not set in " + configFile));
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
