package io.clipguard.topology;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic's name with the serdes of its keys and values. Built from config and passed in.
 *
 * @param name       the topic name
 * @param keySerde   how keys are (de)serialised
 * @param valueSerde how values are (de)serialised
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {}
