package io.clipguard.local;

import io.clipguard.avro.KnownContentMatch;
import io.clipguard.avro.LabelScore;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.ShadowDecision;
import io.clipguard.avro.Timings;
import io.clipguard.avro.UploadSource;
import io.clipguard.avro.UploadedImage;
import io.clipguard.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Flagged uploads as the pipeline writes them, without running it: an upload event with its image
 * inline on the uploads topic, and a result of the tiny-shapes policy naming that event on the flagged
 * topic, keyed by queue. Real Avro through the registry. For the review console's tests and benchmark.
 */
public final class FlaggedUploads implements AutoCloseable {

    private final String uploads;
    private final String flagged;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<UploadedImage> uploadSerializer;
    private final Serializer<ModerationResult> resultSerializer;

    public FlaggedUploads(String bootstrap, String registry, String uploads, String flagged) {
        this.uploads = uploads;
        this.flagged = flagged;
        Properties settings = new Properties();
        settings.put("bootstrap.servers", bootstrap);
        settings.put("acks", "all");
        settings.put("linger.ms", "5");
        this.producer = new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
        Map<String, String> serde = Map.of("schema.registry.url", registry);
        this.uploadSerializer =
                AvroSerdes.forClass(UploadedImage.class, serde, null).serializer();
        this.resultSerializer =
                AvroSerdes.forClass(ModerationResult.class, serde, null).serializer();
    }

    /** Flags one upload and waits until both records are written. */
    public void flag(String uploadId, String queue, byte[] image, Instant decidedAt) throws Exception {
        flagSoon(uploadId, queue, image, decidedAt, List.of()).get();
    }

    /** As {@link #flag}, with the bank entries the image matched. */
    public void flag(String uploadId, String queue, byte[] image, Instant decidedAt, List<KnownContentMatch> matches)
            throws Exception {
        flagSoon(uploadId, queue, image, decidedAt, matches).get();
    }

    /** Flags one upload; the result is sent once the event is written. */
    public Future<RecordMetadata> flagSoon(
            String uploadId, String queue, byte[] image, Instant decidedAt, List<KnownContentMatch> matches)
            throws Exception {
        UploadedImage upload = UploadedImage.newBuilder()
                .setUploadId(uploadId)
                .setUploadedAt(decidedAt)
                .setContentType("image/png")
                .setImageBytes(ByteBuffer.wrap(image))
                .setAttributes(Map.of("uploader", "u-" + uploadId, "surface", "profile"))
                .build();
        RecordMetadata event = producer.send(
                        new ProducerRecord<>(uploads, uploadId, uploadSerializer.serialize(uploads, upload)))
                .get();
        boolean symbols = queue.equals("symbols");
        ModerationResult result = ModerationResult.newBuilder()
                .setUploadId(uploadId)
                .setFlagged(true)
                .setAction(symbols ? "block" : "review")
                .setDecidingLabel(symbols ? "red_star" : "cross")
                .setReviewQueue(queue)
                .setLabels(List.of(
                        new LabelScore("red_star", symbols ? 0.81 : 0.05, 0.5, symbols, "block"),
                        new LabelScore("cross", symbols ? 0.02 : 0.77, 0.5, !symbols, "review"),
                        new LabelScore("star", 0.01, 0.5, false, "allow")))
                .setModelId("tiny-clip")
                .setModelVersion("1")
                .setPolicyId("tiny-shapes")
                .setPolicyVersion("1")
                .setUploadedAt(decidedAt)
                .setDecidedAt(decidedAt)
                .setTimings(new Timings(1.0, 1.0, 1.0, 1.0))
                .setAttributes(upload.getAttributes())
                .setSource(new UploadSource(uploads, event.partition(), event.offset()))
                .setShadowDecision(new ShadowDecision("tiny-shapes-candidate", "2", "allow", null))
                .setBankMatches(matches)
                .build();
        return producer.send(new ProducerRecord<>(flagged, queue, resultSerializer.serialize(flagged, result)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
