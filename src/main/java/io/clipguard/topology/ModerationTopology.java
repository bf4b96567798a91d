package io.clipguard.topology;

import io.clipguard.avro.ModerationResult;
import io.clipguard.metrics.PipelineMetrics;
import io.clipguard.pipeline.AsyncModerator;
import io.clipguard.pipeline.Moderator;
import io.clipguard.pipeline.Outcome;
import io.clipguard.pipeline.OutcomeFitter;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the moderation topology:
 *
 * <pre>
 * uploads (raw bytes) -> moderate -+-> failed  -> dlq
 *                                  +-> scored  -> scored
 *                                  |              +-> flagged, re-keyed by review queue -> flagged
 *                                  +-> shadow policy decided otherwise -> shadow
 * </pre>
 *
 * Every upload event yields exactly one record on the scored or the dead-letter topic.
 */
public final class ModerationTopology {

    private ModerationTopology() {}

    /**
     * The naive peer: each stream thread moderates one upload at a time, start to finish.
     *
     * @param topics      where to read and write
     * @param moderator   scores one upload
     * @param isTransient failures to retry by restarting the task rather than dead-letter
     * @param metrics     counts decisions and dead letters
     */
    public static Topology perRecord(
            ModerationTopics topics,
            Moderator moderator,
            Predicate<RuntimeException> isTransient,
            PipelineMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Outcome> outcomes = uploads(builder, topics)
                .process(
                        () -> new ModerateProcessor(topics.uploadSerde().deserializer(), moderator, isTransient),
                        Named.as("moderate"));
        route(outcomes, topics, metrics);
        return builder.build();
    }

    /**
     * Uploads from every partition are pre-processed on a worker pool and encoded in dynamic
     * batches; where each upload in flight is (topic, partition, offset) is kept in a changelogged
     * store until its outcome is forwarded, and the event is read again from there when needed.
     *
     * @param async     the instance's shared pre-processing pool and batcher
     * @param admission the instance's byte budget and the largest event accepted
     * @param loader    reads events again from their topic, for resumed and parked uploads
     */
    public static Topology batched(
            ModerationTopics topics,
            Moderator moderator,
            AsyncModerator async,
            Predicate<RuntimeException> isTransient,
            Admission admission,
            EventLoader loader,
            PipelineMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(BatchingModerateProcessor.STORE),
                        Serdes.String(),
                        InFlightUpload.serde())
                .withLoggingEnabled(Map.of()));
        KStream<String, Outcome> outcomes = uploads(builder, topics)
                .process(
                        () -> new BatchingModerateProcessor(
                                topics.uploadSerde().deserializer(), moderator, async, isTransient, admission, loader),
                        Named.as("moderate"),
                        BatchingModerateProcessor.STORE);
        route(outcomes, topics, metrics);
        return builder.build();
    }

    private static KStream<byte[], byte[]> uploads(StreamsBuilder builder, ModerationTopics topics) {
        return builder.stream(
                topics.uploads(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("uploads"));
    }

    private static void route(KStream<String, Outcome> outcomes, ModerationTopics topics, PipelineMetrics metrics) {
        OutcomeRecorder recorder = new OutcomeRecorder(metrics);
        OutcomeFitter fitter = new OutcomeFitter(topics.maxOutcomeBytes());
        // keyed by the (fitted) upload id: an id too large for its topic is cut in the key as in the value
        outcomes = outcomes.map(
                        (id, outcome) -> {
                            Outcome fitted = fitter.fit(outcome);
                            return KeyValue.pair(fitted.uploadId(), fitted);
                        },
                        Named.as("fit"))
                .peek((id, outcome) -> recorder.record(outcome), Named.as("record"));
        outcomes.filter((id, outcome) -> outcome instanceof Outcome.Failed, Named.as("failed"))
                .mapValues(outcome -> ((Outcome.Failed) outcome).error(), Named.as("dead-letter"))
                .to(topics.dlq().name(), produced(topics.dlq(), "dlq"));

        KStream<String, ModerationResult> scored = outcomes.filter(
                        (id, outcome) -> outcome instanceof Outcome.Scored, Named.as("scored"))
                .mapValues(outcome -> ((Outcome.Scored) outcome).result(), Named.as("result"));
        scored.to(topics.scored().name(), produced(topics.scored(), "scored-sink"));
        scored.filter((id, result) -> result.getFlagged(), Named.as("flagged"))
                .selectKey((id, result) -> result.getReviewQueue(), Named.as("by-review-queue"))
                .to(topics.flagged().name(), produced(topics.flagged(), "flagged-sink"));
        outcomes.filter(
                        (id, outcome) -> outcome instanceof Outcome.Scored s && s.shadow() != null,
                        Named.as("shadow-differs"))
                .mapValues(outcome -> ((Outcome.Scored) outcome).shadow(), Named.as("shadow-result"))
                .to(topics.shadow().name(), produced(topics.shadow(), "shadow-sink"));
    }

    private static <K, V> Produced<K, V> produced(Topic<K, V> topic, String name) {
        return Produced.with(topic.keySerde(), topic.valueSerde()).withName(name);
    }
}
