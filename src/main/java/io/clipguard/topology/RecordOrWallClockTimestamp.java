package io.clipguard.topology;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The record's own timestamp, or the wall-clock time where the record has none or a negative one.
 * Kafka Streams' default extractor throws on a negative timestamp, which some producers (other clients,
 * old message formats) can write: that one record would fail its stream thread again and again, and
 * its partition would never move on.
 */
public final class RecordOrWallClockTimestamp implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.timestamp() >= 0 ? record.timestamp() : System.currentTimeMillis();
    }
}
