package io.clipguard.topology;

import io.clipguard.pipeline.SourceCoordinates;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An {@link EventLoader} over the events a test remembered it sent, as their topic would keep them. */
final class RememberingLoader implements EventLoader {

    private final Map<SourceCoordinates, Loaded> events = new ConcurrentHashMap<>();
    final AtomicInteger loads = new AtomicInteger();
    /** What was read again, in order. */
    final java.util.List<SourceCoordinates> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();

    void remember(SourceCoordinates at, byte[] key, byte[] value) {
        events.put(at, new Loaded(key, value));
    }

    /** The topic's retention deleted it. */
    void forget(SourceCoordinates at) {
        events.remove(at);
    }

    @Override
    public CompletableFuture<Loaded> load(SourceCoordinates at) {
        loads.incrementAndGet();
        loaded.add(at);
        return CompletableFuture.completedFuture(events.get(at));
    }

    @Override
    public void close() {}
}
