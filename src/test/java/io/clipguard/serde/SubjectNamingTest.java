package io.clipguard.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectNamingTest {
    @Test
    void topicNameAppendsKeyOrValue() {
        assertEquals(
                "uploads-value", SubjectNaming.TOPIC_NAME.subject("uploads", false, UploadedImage.getClassSchema()));
        assertEquals("uploads-key", SubjectNaming.TOPIC_NAME.subject("uploads", true, UploadedImage.getClassSchema()));
    }

    @Test
    void recordNameUsesTheFullRecordName() {
        assertEquals(
                "io.clipguard.avro.UploadedImage",
                SubjectNaming.RECORD_NAME.subject("uploads", false, UploadedImage.getClassSchema()));
    }

    @Test
    void topicRecordNameJoinsBoth() {
        assertEquals(
                "uploads-io.clipguard.avro.UploadedImage",
                SubjectNaming.TOPIC_RECORD_NAME.subject("uploads", false, UploadedImage.getClassSchema()));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "io.confluent.kafka.serializers.subject.RecordNameStrategy",
                "RecordNameStrategy",
                "RECORD_NAME",
                "record_name"
            })
    void acceptsConfluentClassNamesSimpleNamesAndConstants(String configured) {
        assertEquals(SubjectNaming.RECORD_NAME, SubjectNaming.fromConfig("value.subject.name.strategy", configured));
    }

    @Test
    void rejectsAnUnknownStrategyNamingKeyValueAndChoices() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> SubjectNaming.fromConfig("value.subject.name.strategy", "com.example.Mine"));

        assertTrue(e.getMessage().contains("value.subject.name.strategy"), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.Mine"), e.getMessage());
        assertTrue(e.getMessage().contains("TopicRecordNameStrategy"), e.getMessage());
    }
}
