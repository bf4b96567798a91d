package io.clipguard.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/** An in-memory registry behind the interface, for unit tests of wire-format handling. */
final class FakeSchemaRegistryClient implements SchemaRegistryClient {
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> idsBySubject = new HashMap<>();
    private boolean unavailable;

    synchronized void makeUnavailable() {
        unavailable = true;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        checkAvailable();
        for (Map.Entry<Integer, Schema> entry : schemasById.entrySet()) {
            if (entry.getValue().equals(schema)) {
                addVersion(subject, entry.getKey());
                return entry.getKey();
            }
        }
        int id = schemasById.size() + 1;
        schemasById.put(id, schema);
        addVersion(subject, id);
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        checkAvailable();
        for (int id : idsBySubject.getOrDefault(subject, List.of())) {
            if (schemasById.get(id).equals(schema)) {
                return id;
            }
        }
        throw new SchemaNotFoundException("schema not found under subject " + subject, 40403);
    }

    @Override
    public synchronized Schema schemaById(int id) {
        checkAvailable();
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw new SchemaNotFoundException("schema id " + id + " not found in registry at fake://", 40403);
        }
        return schema;
    }

    @Override
    public synchronized Optional<RegisteredSchema> latest(String subject) {
        checkAvailable();
        List<Integer> ids = idsBySubject.getOrDefault(subject, List.of());
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        int id = ids.get(ids.size() - 1);
        return Optional.of(new RegisteredSchema(subject, ids.size(), id, schemasById.get(id)));
    }

    @Override
    public void updateGlobalCompatibility(Compatibility level) {
        checkAvailable();
    }

    private void addVersion(String subject, int id) {
        List<Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!ids.contains(id)) {
            ids.add(id);
        }
    }

    private void checkAvailable() {
        if (unavailable) {
            throw new SchemaRegistryUnavailableException("fake registry is down", null);
        }
    }
}
