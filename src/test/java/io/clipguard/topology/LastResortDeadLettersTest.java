package io.clipguard.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.ModerationError;
import io.clipguard.testing.PlainAvroSerde;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** The last resort's answers, for each kind of failure and each processing guarantee. */
class LastResortDeadLettersTest {

    private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
        @Override
        public String topic() {
            return "uploads";
        }

        @Override
        public int partition() {
            return 3;
        }

        @Override
        public long offset() {
            return 42;
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "moderate";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, 3);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return "upload-7".getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] sourceRawValue() {
            return new byte[] {0, 0, 0, 0, 1};
        }
    };

    private static LastResortDeadLetters handler(String guarantee) {
        return handler(guarantee, true);
    }

    private static LastResortDeadLetters handler(String guarantee, boolean perRecord) {
        LastResortDeadLetters handler = new LastResortDeadLetters();
        handler.configure(Map.of(
                LastResortDeadLetters.PER_RECORD_CONFIG,
                String.valueOf(perRecord),
                LastResortDeadLetters.DLQ_TOPIC_CONFIG,
                "moderation.dlq",
                LastResortDeadLetters.SERDE_CLASS_CONFIG,
                PlainAvroSerde.Named.class.getName(),
                "processing.guarantee",
                guarantee));
        return handler;
    }

    private static ModerationError deadLetter(ProducerRecord<byte[], byte[]> record) {
        assertEquals("moderation.dlq", record.topic());
        assertEquals("upload-7", new String(record.key(), StandardCharsets.UTF_8));
        return PlainAvroSerde.of(ModerationError.class).deserializer().deserialize("moderation.dlq", record.value());
    }

    @Test
    void anUnforeseenProcessingFailureBecomesTheRecordsDeadLetter() {
        ProcessingExceptionHandler.Response response = handler("exactly_once_v2")
                .handleError(CONTEXT, (Record<?, ?>) null, new IllegalStateException("a bug"));
        assertEquals(ProcessingExceptionHandler.Result.RESUME, response.result());
        ModerationError error = deadLetter(response.deadLetterQueueRecords().get(0));
        assertEquals("upload-7", error.getUploadId());
        assertEquals("PROCESSING_FAILED", error.getReason());
        assertEquals("uploads", error.getSourceTopic());
        assertEquals(3, error.getSourcePartition());
        assertEquals(42L, error.getSourceOffset());
        assertTrue(error.getMessage().contains("a bug"), error.getMessage());
    }

    @Test
    void aFailureThatIsNotTheRecordsFailsTheTaskToRetryIt() {
        assertEquals(
                ProcessingExceptionHandler.Result.FAIL,
                handler("exactly_once_v2")
                        .handleError(
                                CONTEXT, (Record<?, ?>) null, new PipelineUnavailableException("the encoder is down"))
                        .result());
        assertEquals(
                ProductionExceptionHandler.Result.RETRY,
                handler("at_least_once")
                        .handleError(
                                CONTEXT,
                                new ProducerRecord<>("moderation.scored", new byte[1]),
                                new TimeoutException("slow"))
                        .result());
    }

    @Test
    void aRefusedRecordIsDeadLetteredUnderAtLeastOnceAndFailsTheTaskUnderExactlyOnce() {
        ProducerRecord<byte[], byte[]> refused = new ProducerRecord<>("moderation.scored", new byte[2_000_000]);
        ProductionExceptionHandler.Response atLeastOnce =
                handler("at_least_once").handleError(CONTEXT, refused, new RecordTooLargeException("too large"));
        assertEquals(ProductionExceptionHandler.Result.RESUME, atLeastOnce.result());
        assertEquals(
                "PROCESSING_FAILED",
                deadLetter(atLeastOnce.deadLetterQueueRecords().get(0)).getReason());
        // under exactly_once_v2 the refused send has doomed its transaction: dead-lettering cannot save it
        assertEquals(
                ProductionExceptionHandler.Result.FAIL,
                handler("exactly_once_v2")
                        .handleError(CONTEXT, refused, new RecordTooLargeException("too large"))
                        .result());
    }

    @Test
    void aRecordThatCannotBeSerializedIsDeadLetteredInTheSameTransaction() {
        ProductionExceptionHandler.Response response = handler("exactly_once_v2")
                .handleSerializationError(
                        CONTEXT,
                        new ProducerRecord<>("moderation.scored", "x"),
                        new SerializationException("not writable"),
                        ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
        assertEquals(ProductionExceptionHandler.Result.RESUME, response.result());
        assertEquals(
                "PROCESSING_FAILED",
                deadLetter(response.deadLetterQueueRecords().get(0)).getReason());
    }

    /** In the batched mode the record in context is not the upload whose outcome failed: never guess. */
    @Test
    void inTheBatchedModeTheProcessorNotTheHandlerDeadLetters() {
        assertEquals(
                ProcessingExceptionHandler.Result.FAIL,
                handler("exactly_once_v2", false)
                        .handleError(CONTEXT, (Record<?, ?>) null, new IllegalStateException("a bug"))
                        .result());
        assertEquals(
                ProductionExceptionHandler.Result.FAIL,
                handler("exactly_once_v2", false)
                        .handleSerializationError(
                                CONTEXT,
                                new ProducerRecord<>("moderation.scored", "x"),
                                new SerializationException("not writable"),
                                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE)
                        .result());
    }
}
