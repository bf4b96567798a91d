package io.clipguard.topology;

import io.clipguard.avro.ModerationError;
import io.clipguard.avro.ModerationResult;
import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.OutcomeFitter;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics the moderation topology reads and writes.
 *
 * @param uploads uploaded-image events, read as raw bytes so that an unreadable event becomes a
 *                dead-letter record instead of a stopped stream; {@code uploadSerde} reads them
 * @param scored  one result per scored upload, keyed by upload id
 * @param flagged flagged results, keyed by review queue
 * @param dlq     one dead-letter record per upload that could not be scored, keyed by upload id
 * @param shadow  the shadow policy's result where it differs from the live one, keyed by upload id
 * @param maxOutcomeBytes the smallest {@code max.message.bytes} of the output topics: what an outcome
 *                copies from its event is cut to fit it
 */
public record ModerationTopics(
        String uploads,
        Serde<UploadedImage> uploadSerde,
        Topic<String, ModerationResult> scored,
        Topic<String, ModerationResult> flagged,
        Topic<String, ModerationError> dlq,
        Topic<String, ModerationResult> shadow,
        int maxOutcomeBytes) {

    /** The given topic names with the given value serdes, at Kafka's default message limit. */
    public static ModerationTopics of(
            TopicNames names,
            Serde<UploadedImage> uploads,
            Serde<ModerationResult> results,
            Serde<ModerationError> errors) {
        Serde<String> keys = Serdes.String();
        return new ModerationTopics(
                names.uploads(),
                uploads,
                new Topic<>(names.scored(), keys, results),
                new Topic<>(names.flagged(), keys, results),
                new Topic<>(names.dlq(), keys, errors),
                new Topic<>(names.shadow(), keys, results),
                OutcomeFitter.KAFKA_DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** The same topics, whose smallest output message limit is {@code bytes}. */
    public ModerationTopics withMaxOutcomeBytes(int bytes) {
        return new ModerationTopics(uploads, uploadSerde, scored, flagged, dlq, shadow, bytes);
    }
}
