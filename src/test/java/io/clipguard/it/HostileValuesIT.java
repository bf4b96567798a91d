package io.clipguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.local.LocalSchemaRegistry;
import io.clipguard.local.OutcomeReader;
import io.clipguard.pipeline.OutcomeFitter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Well-formed events with hostile values, among good uploads, read by the job as its own JVM, writing to
 * output topics at Kafka's default 1 MB message limit: upload times in microseconds and at a long's
 * ends (which once overflowed the latency metric and failed the stream thread for ever), 1.5 MB of
 * attributes (copied into every output record) and a 1.2 MB upload id on bytes that are not an image
 * (copied into its dead letter). Each hostile upload gets one outcome that fits its topic and says
 * what was cut; every good upload is scored once, within the bound; the job is alive at the end.
 */
class HostileValuesIT {

    @TempDir
    Path work;

    @Test
    void hostileValuesNeverStopAPartition() throws Exception {
        String registry = LocalSchemaRegistry.shared().url().toString();
        try (FaultRun run =
                new FaultRun("hostile", SharedKafka.get().bootstrapServers(), registry, work, 2, (short) 1)) {
            FaultRun.Job job = run.start("job", run.settings());
            run.warmUp("job");

            Thread good = run.sendGoodInBackground("good", 80, 20);
            long[] times = {1_750_000_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE};
            for (int i = 0; i < times.length; i++) {
                UploadedImage upload = run.goodUpload("time-" + i, i);
                upload.setUploadedAt(Instant.ofEpochMilli(times[i]));
                run.send(upload);
            }
            Map<String, String> attributes = new HashMap<>();
            for (int i = 0; i < 1500; i++) {
                attributes.put("attribute-" + i, "v".repeat(1000));
            }
            UploadedImage manyAttributes = run.goodUpload("many-attributes", 3);
            manyAttributes.setAttributes(attributes);
            run.send(manyAttributes);
            byte[] notAnImage = new byte[4096];
            new Random(7).nextBytes(notAnImage);
            UploadedImage hugeId = run.goodUpload("huge-" + "i".repeat(1_200_000), 0);
            hugeId.setImageBytes(ByteBuffer.wrap(notAnImage));
            run.send(hugeId);
            good.join();
            run.producer().flush();

            OutcomeReader.Outcomes outcomes = run.awaitAll(Duration.ofSeconds(120));
            run.assertExactlyOnce(outcomes, Duration.ofSeconds(20));

            Map<String, ModerationResult> scored = new HashMap<>();
            outcomes.scored().forEach(r -> scored.put(r.value().getUploadId(), r.value()));
            for (int i = 0; i < times.length; i++) {
                assertEquals(times[i], scored.get("time-" + i).getUploadedAt().toEpochMilli(), "kept as sent");
            }
            ModerationResult cut = scored.get("many-attributes");
            assertTrue(cut.getAttributes().get(OutcomeFitter.CUT_ATTRIBUTE).contains("dropped"), "says what was cut");
            ConsumerRecord<String, ModerationError> deadLetter = outcomes.deadLetters().stream()
                    .filter(r -> r.value().getUploadId().startsWith("huge-"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("UNSUPPORTED_FORMAT", deadLetter.value().getReason());
            assertTrue(deadLetter.value().getMessage().contains("upload_id cut from 1200005 bytes"));
            for (ConsumerRecord<String, ?> record : outcomes.scored()) {
                assertFits(record);
            }
            outcomes.deadLetters().forEach(HostileValuesIT::assertFits);
            assertEquals(
                    1,
                    outcomes.deadLetters().size(),
                    FaultRun.deadLetterReasons(outcomes).toString());
            assertTrue(job.alive(), "the job survived every hostile value");
        }
    }

    /** The key as the topic holds it: within the limit (the value was read back, so it was taken). */
    private static void assertFits(ConsumerRecord<String, ?> record) {
        assertTrue(
                record.serializedKeySize() + record.serializedValueSize()
                        < OutcomeFitter.KAFKA_DEFAULT_MAX_MESSAGE_BYTES,
                record.serializedKeySize() + record.serializedValueSize() + " bytes");
        assertTrue(record.key() == null || record.key().getBytes(StandardCharsets.UTF_8).length < 1024);
    }
}
