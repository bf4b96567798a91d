package io.clipguard.console;

import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadSource;
import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.UploadImageSource;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.review.Item;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What an item page shows, read from Kafka: the flagged result at the item's coordinates and the image
 * of the upload event it names (inline, or fetched through the pipeline's SSRF-guarded fetcher). The
 * last few are kept in memory, so a page and its image read Kafka once. Thread-safe.
 */
final class ReviewItems {

    private static final int KEPT = 32;
    private static final long KEPT_IMAGE_BYTES = 64L << 20;

    /** An item's flagged result and image; {@code image} empty with {@code imageProblem} saying why. */
    record Loaded(ModerationResult result, Optional<byte[]> image, String imageProblem) {}

    private final RecordReader reader;
    private final Deserializer<ModerationResult> results;
    private final Deserializer<UploadedImage> uploads;
    private final UploadImageSource images;
    private final Map<String, Loaded> kept = new LinkedHashMap<>(KEPT, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Loaded> eldest) {
            return size() > KEPT;
        }
    };

    ReviewItems(
            RecordReader reader,
            Deserializer<ModerationResult> results,
            Deserializer<UploadedImage> uploads,
            UploadImageSource images) {
        this.reader = reader;
        this.results = results;
        this.uploads = uploads;
        this.images = images;
    }

    /** The item's result and image; empty when its flagged result cannot be read any more. */
    Optional<Loaded> load(Item item) {
        String key = item.topic() + "/" + item.partition() + "/" + item.offset();
        synchronized (kept) {
            Loaded loaded = kept.get(key);
            if (loaded != null) {
                return Optional.of(loaded);
            }
        }
        Optional<ModerationResult> result = reader.read(item.topic(), item.partition(), item.offset())
                .map(bytes -> results.deserialize(item.topic(), bytes));
        if (result.isEmpty()) {
            return Optional.empty();
        }
        Loaded loaded = withImage(result.get());
        synchronized (kept) {
            kept.put(key, loaded);
            // at most so many image bytes kept: photographs can be 20 MiB each
            long keptImageBytes = kept.values().stream()
                    .mapToLong(each ->
                            each.image().map(bytes -> (long) bytes.length).orElse(0L))
                    .sum();
            var eldest = kept.keySet().iterator();
            while (keptImageBytes > KEPT_IMAGE_BYTES && eldest.hasNext()) {
                Loaded dropped = kept.get(eldest.next());
                keptImageBytes -=
                        dropped.image().map(bytes -> (long) bytes.length).orElse(0L);
                eldest.remove();
            }
        }
        return Optional.of(loaded);
    }

    private Loaded withImage(ModerationResult result) {
        UploadSource source = result.getSource();
        if (source == null) {
            return new Loaded(result, Optional.empty(), "the result does not say where its upload event is");
        }
        Optional<byte[]> event = reader.read(source.getTopic(), source.getPartition(), source.getOffset());
        if (event.isEmpty()) {
            return new Loaded(result, Optional.empty(), "the upload event is gone from " + source.getTopic());
        }
        try {
            UploadedImage upload = uploads.deserialize(source.getTopic(), event.get());
            return new Loaded(result, Optional.of(images.bytes(upload)), null);
        } catch (RejectedUploadException e) {
            return new Loaded(result, Optional.empty(), e.getMessage());
        } catch (RuntimeException e) {
            return new Loaded(result, Optional.empty(), "the upload event cannot be read: " + e.getMessage());
        }
    }
}
