package io.clipguard.topology;

import io.clipguard.avro.ModerationError;
import io.clipguard.pipeline.OutcomeFitter;
import io.clipguard.pipeline.Reason;
import io.clipguard.serde.AvroSerdes;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last resort when a step throws where the pipeline did not expect it: in the per-record mode the
 * record that caused it becomes a {@code PROCESSING_FAILED} dead letter (keyed by its record key, with
 * its coordinates and the exception), so that one value cannot stop its partition for good. In the
 * batched mode, and for any step after the moderate step, it fails the step instead, and the processor
 * that forwarded the outcome dead-letters its own upload ({@link DownstreamFailure}): only that
 * processor knows which upload it was. Not the normal path: every
 * known failure of an upload is already its outcome, and outcomes are cut to fit their topics. A
 * failure that is not the record's (a {@link RetriableException}: the registry, the broker) fails the
 * task instead, which retries it from the last commit.
 *
 * <p>Production errors (a record refused by the broker) are dead-lettered under {@code
 * at_least_once}. Under {@code exactly_once_v2} the refused send has already doomed its transaction
 * (Kafka's producer enters an abortable state whatever the handler answers), so the handler fails
 * the task and says why; {@link OutcomeFitter} is what prevents such records.
 *
 * <p>Configured by Kafka Streams from the job's settings: {@value #DLQ_TOPIC_CONFIG} names the
 * dead-letter topic, {@value #SERDE_CLASS_CONFIG} the Avro serde.
 */
public final class LastResortDeadLetters implements ProcessingExceptionHandler, ProductionExceptionHandler {

    /** Kafka Streams' own key for the dead-letter topic (its built-in handlers' DLQ), ours too. */
    public static final String DLQ_TOPIC_CONFIG = "errors.dead.letter.queue.topic.name";
    /** The Avro serde class the dead letters are written with, as the job's {@code serde.class}. */
    public static final String SERDE_CLASS_CONFIG = "errors.dead.letter.queue.value.serde";
    /**
     * "true" in the per-record mode, where the record in a failure's context is the upload that failed.
     * In the batched mode outcomes are forwarded from a punctuation or while another record is processed,
     * so the context names the wrong upload (or none): there the handler fails the step, and the
     * processor that forwarded the outcome dead-letters its own upload.
     */
    public static final String PER_RECORD_CONFIG = "errors.dead.letter.queue.per.record";
    /** The processor whose failures are its own record's: the moderate step. */
    static final String MODERATE_NODE = "moderate";

    private static final Logger LOG = LoggerFactory.getLogger(LastResortDeadLetters.class);
    private static final int MAX_MESSAGE_BYTES = 4096;

    private String dlqTopic;
    private Serializer<ModerationError> serializer;
    private boolean exactlyOnce;
    private boolean perRecord;

    @Override
    public void configure(Map<String, ?> configs) {
        dlqTopic = String.valueOf(configs.get(DLQ_TOPIC_CONFIG));
        Object serde = configs.get(SERDE_CLASS_CONFIG);
        serializer = AvroSerdes.forClass(ModerationError.class, configs, serde == null ? null : serde.toString())
                .serializer();
        exactlyOnce = String.valueOf(configs.get("processing.guarantee")).startsWith("exactly_once");
        perRecord = Boolean.parseBoolean(String.valueOf(configs.get(PER_RECORD_CONFIG)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isTransient(exception)) {
            LOG.warn(
                    "a step failed for a reason that is not the record's; the task retries it: {}",
                    exception.toString());
            return ProcessingExceptionHandler.Response.fail();
        }
        if (!perRecord || !MODERATE_NODE.equals(context.processorNodeId()) || context.topic() == null) {
            // the record in context may not be the upload whose outcome failed: the processor that
            // forwarded it dead-letters that upload itself (see DownstreamFailure)
            return ProcessingExceptionHandler.Response.fail();
        }
        LOG.error(
                "unexpected failure in {} on {}[{}]@{}; dead-lettering the record as {}",
                context.processorNodeId(),
                context.topic(),
                context.partition(),
                context.offset(),
                Reason.PROCESSING_FAILED,
                exception);
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter(context, exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (exactlyOnce || record.topic().equals(dlqTopic)) {
            LOG.error(
                    "the broker refused a record for {} ({}); under exactly_once_v2 its transaction is lost, so the"
                            + " task fails and retries: a value that could not fit should have been cut to fit",
                    record.topic(),
                    exception.toString());
            return ProductionExceptionHandler.Response.fail();
        }
        LOG.error("the broker refused a record for {}; dead-lettering its upload", record.topic(), exception);
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context, exception)));
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            ProductionExceptionHandler.SerializationExceptionOrigin origin) {
        if (isTransient(exception) || record.topic().equals(dlqTopic) || !perRecord) {
            return ProductionExceptionHandler.Response.fail(); // see handleError for the batched mode
        }
        // nothing was sent yet: the transaction is intact, and the dead letter joins it
        LOG.error("cannot serialize a record for {}; dead-lettering its upload", record.topic(), exception);
        return ProductionExceptionHandler.Response.resume(List.of(deadLetter(context, exception)));
    }

    /** A dead letter for the record in {@code context}, keyed (and identified) by its record key. */
    ProducerRecord<byte[], byte[]> deadLetter(ErrorHandlerContext context, Exception exception) {
        byte[] key = context.sourceRawKey();
        String id =
                key == null || key.length == 0 ? null : OutcomeFitter.cut(new String(key, StandardCharsets.UTF_8), 512);
        ModerationError error = ModerationError.newBuilder()
                .setUploadId(id)
                .setReason(Reason.PROCESSING_FAILED.name())
                .setMessage(OutcomeFitter.cut(
                        "unexpected failure in " + context.processorNodeId() + ": " + exception
                                + (id == null ? "" : " (upload_id is the record's key)"),
                        MAX_MESSAGE_BYTES))
                .setSourceTopic(context.topic() == null ? "unknown" : context.topic())
                .setSourcePartition(context.partition())
                .setSourceOffset(context.offset())
                .setFailedAt(Instant.now())
                .build();
        byte[] value = serializer.serialize(dlqTopic, error);
        return new ProducerRecord<>(dlqTopic, null, id == null ? null : id.getBytes(StandardCharsets.UTF_8), value);
    }

    private static boolean isTransient(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
