package io.clipguard.cli;

import io.clipguard.avro.ModerationError;
import io.clipguard.config.AppConfig;
import io.clipguard.config.ConfigLoader;
import io.clipguard.config.KafkaConnection;
import io.clipguard.pipeline.Reason;
import io.clipguard.serde.AvroSerdes;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code replay-dead-letters --config FILE --reason R [--since T] [--dry-run]}: after a fix, sends the
 * uploads that were dead-lettered for a reason through the job again. Each dead letter names its
 * upload's event by topic, partition and offset; that event is read from there and produced again,
 * with its key, value and headers, to the uploads topic, where it gets a new outcome. An event whose
 * coordinates were replayed once in this run is not sent twice; one deleted by retention is reported.
 */
@Command(
        name = "replay-dead-letters",
        mixinStandardHelpOptions = true,
        description = {
            "Sends the uploads dead-lettered for the given reasons through the job again: each one's original"
                    + " event is read from its topic, partition and offset and produced again to the uploads"
                    + " topic with its key. A replayed upload gets a new outcome (consumers key on upload_id).",
            "Exits 1 when an original event could not be found (deleted by retention)."
        })
final class ReplayDeadLettersCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(500);
    static final String REPLAYED_HEADER = "clipguard.replayed-from";

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the job's properties")
    Path configFile;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "REASON",
            split = ",",
            description = "reason codes to replay, for example ENCODER_FAILED (repeat or separate with commas)")
    Set<String> reasons;

    @Option(
            names = "--since",
            paramLabel = "INSTANT",
            description = "only dead letters written at or after this time (ISO-8601, for example"
                    + " 2026-12-01T00:00:00Z); default: all the topic holds")
    Instant since;

    @Option(names = "--dry-run", description = "print what would be replayed, send nothing")
    boolean dryRun;

    private record Coordinates(String topic, int partition, long offset) {
        @Override
        public String toString() {
            return topic + "[" + partition + "]@" + offset;
        }
    }

    @Override
    public Integer call() throws Exception {
        return run(System.out);
    }

    int run(PrintStream out) {
        for (String reason : reasons) {
            try {
                Reason.valueOf(reason);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "--reason " + reason + " is no reason code; the codes are " + Arrays.toString(Reason.values()));
            }
        }
        AppConfig config = ConfigLoader.load(configFile);
        Properties connection = KafkaConnection.settings(config.streams());
        Collection<Coordinates> wanted = matchingDeadLetters(config, connection);
        out.println(wanted.size() + " dead letters with reason " + String.join(", ", reasons)
                + (since == null ? "" : " since " + since));
        int replayed = 0;
        int missing = 0;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Properties producerSettings = new Properties();
        producerSettings.putAll(connection);
        producerSettings.setProperty("acks", "all");
        producerSettings.setProperty("enable.idempotence", "true");
        producerSettings.setProperty("max.request.size", String.valueOf(config.maxEventBytes()));
        try (KafkaConsumer<byte[], byte[]> originals = consumer(connection);
                KafkaProducer<byte[], byte[]> producer =
                        new KafkaProducer<>(producerSettings, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (Coordinates at : wanted) {
                ConsumerRecord<byte[], byte[]> original =
                        at.partition() < 0 || at.offset() < 0 ? null : read(originals, at);
                if (original == null) {
                    out.println("gone: " + at + " (deleted by retention, or never an event)");
                    missing++;
                    continue;
                }
                if (!dryRun) {
                    ProducerRecord<byte[], byte[]> again = new ProducerRecord<>(
                            config.topics().uploads(), null, original.key(), original.value(), original.headers());
                    again.headers().remove(REPLAYED_HEADER);
                    again.headers().add(REPLAYED_HEADER, at.toString().getBytes(StandardCharsets.UTF_8));
                    sends.add(producer.send(again));
                }
                replayed++;
            }
            producer.flush();
        }
        int failed = 0;
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                failed++;
                out.println("not sent: " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sending", e);
            }
        }
        out.println((dryRun ? "would replay " : "replayed ") + (replayed - failed) + " uploads to "
                + config.topics().uploads() + (missing > 0 ? "; " + missing + " original events are gone" : "")
                + (failed > 0 ? "; " + failed + " could not be sent" : ""));
        return missing > 0 || failed > 0 ? 1 : 0;
    }

    /**
     * The source coordinates of the dead letters that match, one per upload: the latest one (a replayed
     * upload that failed again has a newer dead letter naming its replayed copy), so running the
     * command twice does not send an upload twice over. Dead letters without an upload id count by
     * their coordinates.
     */
    private Collection<Coordinates> matchingDeadLetters(AppConfig config, Properties connection) {
        Deserializer<ModerationError> values = AvroSerdes.forClass(
                        ModerationError.class, config.serdeConfig(), config.serdeClass())
                .deserializer();
        Map<Object, Coordinates> wanted = new LinkedHashMap<>();
        String topic = config.topics().dlq();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(connection)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("dead-letter topic " + topic + " does not exist");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    ModerationError error = deadLetter(values, record);
                    if (error != null
                            && reasons.contains(error.getReason())
                            && (since == null || !error.getFailedAt().isBefore(since))) {
                        Coordinates at = new Coordinates(
                                error.getSourceTopic(), error.getSourcePartition(), error.getSourceOffset());
                        Object upload = error.getUploadId() == null ? at : error.getUploadId();
                        wanted.remove(upload);
                        wanted.put(upload, at);
                    }
                }
            }
        }
        return wanted.values();
    }

    /** The dead letter in a record, or null for one this serde cannot read (it is skipped, not fatal). */
    private static ModerationError deadLetter(Deserializer<ModerationError> values, ConsumerRecord<byte[], byte[]> r) {
        try {
            return r.value() == null ? null : values.deserialize(r.topic(), r.value());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The record at exactly those coordinates, or null when it is no longer there. */
    private static ConsumerRecord<byte[], byte[]> read(KafkaConsumer<byte[], byte[]> consumer, Coordinates at) {
        TopicPartition partition = new TopicPartition(at.topic(), at.partition());
        if (consumer.partitionsFor(at.topic(), Duration.ofSeconds(30)).size() <= at.partition()) {
            return null;
        }
        consumer.assign(List.of(partition));
        long start = consumer.beginningOffsets(List.of(partition)).get(partition);
        long end = consumer.endOffsets(List.of(partition)).get(partition);
        if (at.offset() < start || at.offset() >= end) {
            return null;
        }
        consumer.seek(partition, at.offset());
        while (consumer.position(partition) <= at.offset()) {
            List<ConsumerRecord<byte[], byte[]>> records =
                    new ArrayList<>(consumer.poll(POLL).records(partition));
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() == at.offset()) {
                    return record;
                }
            }
        }
        return null;
    }

    private static KafkaConsumer<byte[], byte[]> consumer(Properties connection) {
        Properties settings = new Properties();
        settings.putAll(connection);
        settings.setProperty("enable.auto.commit", "false");
        settings.setProperty("isolation.level", "read_committed");
        settings.setProperty("max.partition.fetch.bytes", String.valueOf(64 * 1024 * 1024));
        settings.setProperty("allow.auto.create.topics", "false"); // a dead letter may name a topic that is gone
        return new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
