package io.clipguard.topology;

import io.clipguard.pipeline.SourceCoordinates;
import java.util.concurrent.CompletableFuture;

/**
 * Reads an accepted upload event again from its topic, by its coordinates: for an upload whose task
 * resumed after a restart or a rebalance, or that was parked while the pipeline was full. Thread-safe.
 */
public interface EventLoader extends AutoCloseable {

    /** The key and value of a record read again. */
    record Loaded(byte[] key, byte[] value) {}

    /**
     * Reads the record at {@code at}. Never blocks. The future completes with the record, or with null
     * when the topic no longer has it (deleted by retention before it was finished); it does not fail
     * while the broker is away, but waits for it.
     */
    CompletableFuture<Loaded> load(SourceCoordinates at);

    /** False once the loader stopped without being closed: parked and resumed uploads would wait for ever. */
    default boolean alive() {
        return true;
    }

    @Override
    void close();

    /** A loader with a consumer of its own, made from the job's Kafka connection settings. */
    static EventLoader kafka(java.util.Properties streamsSettings) {
        return KafkaEventLoader.connect(streamsSettings);
    }
}
