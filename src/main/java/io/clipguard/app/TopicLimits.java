package io.clipguard.app;

import io.clipguard.config.ConfigException;
import io.clipguard.config.KafkaConnection;
import io.clipguard.topology.TopicNames;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The message limits of the topics the job writes, read from the cluster at start: outcomes are cut
 * to fit the smallest output topic's {@code max.message.bytes} (a record over it would fail its
 * transaction again and again).
 */
final class TopicLimits implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicLimits.class);
    /** Below this an output topic cannot take a result with a policy's label scores. */
    static final int MIN_OUTPUT_BYTES = 64 * 1024;

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;
    private final Duration patience;

    /** @param patience how long to keep asking a cluster that does not answer before giving up */
    TopicLimits(Properties streamsSettings, Duration patience) {
        this.admin =
                Admin.create(KafkaConnection.adminSettings(streamsSettings, "clipguard-topic-limits", CALL_TIMEOUT));
        this.patience = patience;
    }

    /**
     * The smallest {@code max.message.bytes} of the output topics; a topic that does not exist yet
     * counts with the broker's {@code message.max.bytes}, which it will get when it is created.
     *
     * @throws ConfigException when an output topic's limit is too small for the job's outcomes, or the
     *     cluster cannot be asked
     */
    int smallestOutputLimit(TopicNames names) {
        List<String> outputs = List.of(names.scored(), names.flagged(), names.dlq(), names.shadow());
        int smallest = Integer.MAX_VALUE;
        for (String topic : outputs) {
            Integer limit = topicLimit(topic);
            String source = "topic " + topic;
            if (limit == null) {
                limit = brokerLimit();
                source = "topic " + topic + " (not created yet: the broker's message.max.bytes)";
            }
            if (limit < MIN_OUTPUT_BYTES) {
                throw new ConfigException(source + " has max.message.bytes=" + limit
                        + ", too small for the job's outcomes: give it at least " + MIN_OUTPUT_BYTES);
            }
            smallest = Math.min(smallest, limit);
        }
        LOG.info("output topics take records of up to {} bytes: longer ids and attributes are cut to fit", smallest);
        return smallest;
    }

    /** The topic's effective max.message.bytes, or null when it does not exist. */
    private Integer topicLimit(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try {
            Config config =
                    await(() -> admin.describeConfigs(List.of(resource)).all()).get(resource);
            return Integer.valueOf(
                    config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        } catch (MissingTopic e) {
            return null;
        }
    }

    private int brokerLimit() {
        Collection<Node> nodes = await(() -> admin.describeCluster().nodes());
        ConfigResource broker = new ConfigResource(
                ConfigResource.Type.BROKER,
                String.valueOf(nodes.iterator().next().id()));
        Config config =
                await(() -> admin.describeConfigs(List.of(broker)).all()).get(broker);
        return Integer.parseInt(config.get("message.max.bytes").value());
    }

    /** Makes an admin call, again while the cluster does not answer, up to the patience. */
    private <T> T await(Supplier<KafkaFuture<T>> call) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Throwable problem;
            try {
                return call.get().get(CALL_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConfigException("interrupted while reading the topics' message limits");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    throw new MissingTopic();
                }
                if (!(e.getCause() instanceof RetriableException)) {
                    throw new ConfigException("cannot read or set the topics' message limits: " + e.getCause()
                            + " (the job needs DescribeConfigs on the topics it writes)");
                }
                problem = e.getCause();
            } catch (TimeoutException e) {
                problem = e;
            }
            if (System.nanoTime() > deadline) {
                throw new ConfigException("cannot read the topics' message limits: the cluster did not answer within "
                        + patience + " (" + problem + ")");
            }
            LOG.warn(
                    "the cluster did not answer a question about the topics' limits ({}); asking again",
                    problem.toString());
        }
    }

    private static final class MissingTopic extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingTopic() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
