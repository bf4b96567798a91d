package io.clipguard.local;

import io.clipguard.avro.UploadedImage;
import io.clipguard.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes upload events the way an upload service would: Avro in the Confluent wire format,
 * keyed by upload id. Also sends raw bytes, to exercise the dead-letter path. Not thread-safe.
 */
public final class UploadProducer implements AutoCloseable {

    /** Starts the client id, hence the name of the producer's I/O thread: a benchmark tells it apart. */
    public static final String CLIENT_ID_PREFIX = "upload-producer-";

    private final String topic;
    private final KafkaProducer<String, byte[]> producer;
    private final Serializer<UploadedImage> serializer;

    public UploadProducer(String bootstrapServers, String registryUrl, String topic) {
        this.topic = topic;
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, LocalKafka.MAX_MESSAGE_BYTES);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID_PREFIX + UUID.randomUUID());
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.serializer = AvroSerdes.forClass(UploadedImage.class, Map.of("schema.registry.url", registryUrl), null)
                .serializer();
    }

    /** An upload event with the image inline. */
    public static UploadedImage inline(String uploadId, byte[] image, String contentType) {
        return UploadedImage.newBuilder()
                .setUploadId(uploadId)
                .setUploadedAt(Instant.now())
                .setContentType(contentType)
                .setImageBytes(image == null ? null : ByteBuffer.wrap(image))
                .setAttributes(Map.of("surface", "demo"))
                .build();
    }

    /** Sends an event keyed by its upload id (or with no key when {@code keyed} is false). */
    public void send(UploadedImage upload, boolean keyed) {
        byte[] value = serializer.serialize(topic, upload);
        producer.send(new ProducerRecord<>(topic, keyed ? upload.getUploadId() : null, value));
    }

    /** Sends bytes that are not an upload event at all. */
    public void sendRaw(String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
