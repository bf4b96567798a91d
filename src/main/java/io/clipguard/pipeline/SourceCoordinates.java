package io.clipguard.pipeline;

/** Where an upload event was read from, for dead-letter records. */
public record SourceCoordinates(String topic, int partition, long offset) {}
