package io.clipguard.serde;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a record's subject is named in the registry: Confluent's three subject name strategies.
 * Configured with {@code key.subject.name.strategy} / {@code value.subject.name.strategy}; {@link
 * #fromConfig} accepts Confluent's class names, their simple names and this enum's constant names.
 */
public enum SubjectNaming {
    /** {@code <topic>-key} or {@code <topic>-value}; Confluent's default. */
    TOPIC_NAME("io.confluent.kafka.serializers.subject.TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },
    /** The record's full name, for example {@code io.clipguard.avro.UploadedImage}. */
    RECORD_NAME("io.confluent.kafka.serializers.subject.RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return recordName(schema);
        }
    },
    /** {@code <topic>-<record full name>}. */
    TOPIC_RECORD_NAME("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + recordName(schema);
        }
    };

    private final String confluentClassName;

    SubjectNaming(String confluentClassName) {
        this.confluentClassName = confluentClassName;
    }

    /** The subject for a record with {@code schema} written to {@code topic}. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** The name of Confluent's equivalent strategy class. */
    public String confluentClassName() {
        return confluentClassName;
    }

    /**
     * Parses a configured strategy.
     *
     * @param key the config key, for the error message
     * @param value a Confluent class name (or {@link Class}), its simple name, or a constant name
     * @throws ConfigException naming the key, the value and the accepted values
     */
    public static SubjectNaming fromConfig(String key, Object value) {
        String text = value instanceof Class<?> type
                ? type.getName()
                : String.valueOf(value).trim();
        for (SubjectNaming naming : values()) {
            String simpleName = naming.confluentClassName.substring(naming.confluentClassName.lastIndexOf('.') + 1);
            if (text.equals(naming.confluentClassName)
                    || text.equals(simpleName)
                    || text.toUpperCase(Locale.ROOT).equals(naming.name())) {
                return naming;
            }
        }
        String accepted =
                Arrays.stream(values()).map(SubjectNaming::confluentClassName).collect(Collectors.joining(", "));
        throw new ConfigException(
                key,
                value,
                "accepted: " + accepted + " (or their simple names, or TOPIC_NAME, RECORD_NAME, TOPIC_RECORD_NAME)");
    }

    private static String recordName(Schema schema) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("record name strategies need a record schema, got " + schema.getType());
        }
        return schema.getFullName();
    }
}
