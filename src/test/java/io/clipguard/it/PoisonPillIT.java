package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalKafka;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.local.UploadProducer;
import io.clipguard.serde.AvroSerdes;
import io.clipguard.testing.HostileEvents;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile events among good uploads, read by a job with a small heap: Avro allocation bombs, a
 * truncated wire format, junk, an event larger than the in-flight store takes, and one that is
 * small only while compressed. Each becomes one dead letter with its reason; every good upload is
 * scored once; the job is alive at the end.
 */
class PoisonPillIT {

    @TempDir
    Path work;

    @Test
    void poisonPillsBecomeDeadLettersAndTheJobKeepsGoing() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run =
                new FaultRun("poison", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            Properties settings = run.settings();
            settings.setProperty("clipguard.input.max-image-bytes", String.valueOf(1024 * 1024));
            FaultRun.Job job = run.start("job", settings, "io.clipguard.cli.Main", "-Xmx256m");
            run.warmUp("job");
            int schemaId = schemaId(registry, run.topics.get("uploads"));
            List<byte[]> poisons = List.of(
                    HostileEvents.mapBomb(schemaId),
                    HostileEvents.stringBomb(schemaId),
                    new byte[] {0, 0, 0},
                    HostileEvents.junk(schemaId),
                    oversized(registry, run.topics.get("uploads")));

            Thread good = run.sendGoodInBackground("good", 100, 40);
            for (byte[] poison : poisons) {
                run.sendRaw("poison", poison);
                Thread.sleep(300);
            }
            run.rawKeys.add("compressed");
            sendCompressed(
                    run.bootstrap, run.topics.get("uploads"), compressedOversized(registry, run.topics.get("uploads")));
            good.join();
            run.producer().flush();

            OutcomeReader.Outcomes outcomes =
                    run.reader().awaitDistinct(run.sentAt.size() + 1, Duration.ofSeconds(120));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (unidentified(outcomes).size() < 6 && System.nanoTime() < deadline) {
                outcomes = run.reader().drain(Duration.ofMillis(500));
            }
            outcomes = run.reader().drainUntilQuiet(Duration.ofSeconds(3), Duration.ofSeconds(30)); // late doubles
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(10));
            Map<String, Long> reasons = unidentified(outcomes).stream()
                    .collect(Collectors.groupingBy(ModerationError::getReason, Collectors.counting()));
            assertEquals(
                    Map.of("MALFORMED_EVENT", 4L, "IMAGE_TOO_LARGE", 2L),
                    reasons,
                    "one dead letter per poison pill, with its reason");
            assertTrue(unidentified(outcomes).stream().allMatch(e -> e.getSourceOffset() >= 0));
            assertTrue(job.alive(), "the job survived every poison pill");
        }
    }

    /** The poison pills' dead letters: the events could not be read, so they carry the record key. */
    private static List<ModerationError> unidentified(OutcomeReader.Outcomes outcomes) {
        return outcomes.deadLetters().stream()
                .map(r -> r.value())
                .filter(e -> "poison".equals(e.getUploadId()) || "compressed".equals(e.getUploadId()))
                .toList();
    }

    private static int schemaId(String registry, String topic) {
        byte[] framed = AvroSerdes.forClass(UploadedImage.class, Map.of("schema.registry.url", registry), null)
                .serializer()
                .serialize(topic, UploadProducer.inline("x", new byte[] {1}, "image/png"));
        return ByteBuffer.wrap(framed, 1, 4).getInt();
    }

    /** 3 MB inline: the broker takes it, the job's in-flight store (2 MB events here) would not. */
    private static byte[] oversized(String registry, String topic) {
        byte[] image = new byte[3 * 1024 * 1024];
        new Random(1).nextBytes(image);
        return AvroSerdes.forClass(UploadedImage.class, Map.of("schema.registry.url", registry), null)
                .serializer()
                .serialize(topic, UploadProducer.inline("oversized", image, "image/png"));
    }

    /** 15 MB of zeros inline: a few kB on the wire with gzip, 15 MB once read. */
    private static byte[] compressedOversized(String registry, String topic) {
        return AvroSerdes.forClass(UploadedImage.class, Map.of("schema.registry.url", registry), null)
                .serializer()
                .serialize(topic, UploadProducer.inline("compressed", new byte[15 * 1024 * 1024], "image/png"));
    }

    private static void sendCompressed(String bootstrap, String topic, byte[] event) throws Exception {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "gzip");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LocalKafka.MAX_MESSAGE_BYTES);
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "compressed", event)).get();
        }
    }
}
