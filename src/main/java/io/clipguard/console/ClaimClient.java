package io.clipguard.console;

import io.clipguard.config.KafkaConnection;
import io.clipguard.review.ReviewReply;
import io.clipguard.review.ReviewRequest;
import io.clipguard.review.Verdict;
import io.clipguard.serde.JsonSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a console's requests to the claims processor and waits for the answers: requests go to the
 * requests topic keyed by queue, answers come back on the replies topic keyed by this console's id,
 * which one thread reads (read_committed: an answer is there only once what it says is committed).
 * Thread-safe.
 */
final class ClaimClient implements AutoCloseable {

    /** The claims processor did not answer in time, or the request could not be sent. */
    static final class NoAnswerException extends Exception {
        NoAnswerException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String consoleId = "console-" + UUID.randomUUID();
    private final String requestsTopic;
    private final KafkaProducer<String, ReviewRequest> producer;
    private final Map<String, CompletableFuture<ReviewReply>> waiting = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final ConsumerThread<String, ReviewReply> replies;

    ClaimClient(Properties client, String requestsTopic, String repliesTopic, Duration timeout) {
        this.requestsTopic = requestsTopic;
        this.timeout = timeout;
        Properties producerSettings = KafkaConnection.settings(client);
        producerSettings.setProperty("acks", "all");
        producerSettings.setProperty("linger.ms", "0");
        // an HTTP thread sends: it waits for the broker no longer than for the answer
        producerSettings.setProperty("max.block.ms", String.valueOf(timeout.toMillis()));
        producerSettings.setProperty("client.id", consoleId + "-requests");
        this.producer =
                new KafkaProducer<>(producerSettings, new StringSerializer(), new JsonSerde<>(ReviewRequest.class));
        Properties consumerSettings = KafkaConnection.settings(client);
        consumerSettings.setProperty("enable.auto.commit", "false");
        consumerSettings.setProperty("isolation.level", "read_committed");
        consumerSettings.setProperty("client.id", consoleId + "-replies");
        consumerSettings.setProperty("fetch.max.wait.ms", "20");
        KafkaConsumer<String, ReviewReply> consumer =
                new KafkaConsumer<>(consumerSettings, new StringDeserializer(), new JsonSerde<>(ReviewReply.class));
        List<TopicPartition> partitions = consumer.partitionsFor(repliesTopic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(repliesTopic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // the end is taken now, before any request is sent
        this.replies = new ConsumerThread<>("console-replies", consumer, this::answer);
    }

    /** The id this console's replies are keyed by. */
    String consoleId() {
        return consoleId;
    }

    /**
     * A request from this console, which the claims processor carries out only within the time this
     * console waits for its answer.
     */
    ReviewRequest request(
            ReviewRequest.Kind kind, String reviewer, String queue, String uploadId, String claimId, Verdict verdict) {
        return new ReviewRequest(
                kind,
                UUID.randomUUID().toString(),
                consoleId,
                reviewer,
                queue,
                uploadId,
                claimId,
                verdict,
                System.currentTimeMillis() + timeout.toMillis());
    }

    /** Sends a request and waits for its answer. */
    ReviewReply ask(ReviewRequest request) throws NoAnswerException {
        CompletableFuture<ReviewReply> answer = new CompletableFuture<>();
        waiting.put(request.requestId(), answer);
        try {
            producer.send(new ProducerRecord<>(requestsTopic, request.queue(), request));
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NoAnswerException("no answer from the claims processor within " + timeout.toSeconds() + " s", e);
        } catch (ExecutionException | KafkaException e) {
            throw new NoAnswerException("could not send the request: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswerException("interrupted", e);
        } finally {
            waiting.remove(request.requestId());
        }
    }

    private void answer(ConsumerRecord<String, ReviewReply> record) {
        if (consoleId.equals(record.key()) && record.value() != null) {
            CompletableFuture<ReviewReply> answer = waiting.get(record.value().requestId());
            if (answer != null) {
                answer.complete(record.value());
            }
        }
    }

    @Override
    public void close() {
        replies.close();
        producer.close(Duration.ofSeconds(5));
    }
}
