package io.clipguard.banks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipguard.pdq.PdqHash;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How banks live on their compacted topic, one record per bank and one per entry, so that adding or
 * removing an entry is one record and compaction keeps what is in force:
 *
 * <pre>
 * key NAME            value {"action": "block", "queue": "csam", "source": "...", "version": "7"}
 * key NAME/ENTRY_ID   value {"hash": "64 hex digits", "quality": 92, "metadata": {"category": "..."}}
 * </pre>
 *
 * A null value (a tombstone) deletes the bank (its entries then match nothing) or the entry. JSON, so
 * that an operator can read the topic with any client.
 */
public final class BankRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BankRecords() {}

    /** What a record says: a bank, an entry of a bank, or the deletion of either. */
    public sealed interface Change {}

    public record BankSet(Bank bank) implements Change {}

    public record BankDeleted(String name) implements Change {}

    public record EntrySet(String bank, BankEntry entry) implements Change {}

    public record EntryDeleted(String bank, String entryId) implements Change {}

    public static String key(Bank bank) {
        return bank.name();
    }

    public static String key(String bank, String entryId) {
        return bank + "/" + entryId;
    }

    public static String value(Bank bank) {
        ObjectNode node = JSON.createObjectNode()
                .put("action", bank.action().wireName())
                .put("queue", bank.queue())
                .put("source", bank.source())
                .put("version", bank.version());
        return node.toString();
    }

    public static String value(BankEntry entry) {
        ObjectNode node = JSON.createObjectNode().put("hash", entry.hash().hex());
        if (entry.quality() != null) {
            node.put("quality", entry.quality());
        }
        ObjectNode metadata = node.putObject("metadata");
        entry.metadata().forEach(metadata::put);
        return node.toString();
    }

    /** Reads a record; anything malformed is refused with the reason (the watcher logs and skips it). */
    public static Change parse(String key, String value) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a bank record needs a key");
        }
        int slash = key.indexOf('/');
        String bank = slash < 0 ? key : key.substring(0, slash);
        if (slash >= 0) {
            new Bank(bank, BankAction.REVIEW, null, null, null); // the name is checked as a bank's is
        }
        try {
            if (slash < 0) {
                if (value == null) {
                    return new BankDeleted(new Bank(bank, BankAction.REVIEW, null, null, null).name());
                }
                JsonNode node = JSON.readTree(value);
                return new BankSet(new Bank(
                        bank,
                        BankAction.parse(node.path("action").asText()),
                        text(node, "queue"),
                        text(node, "source"),
                        text(node, "version")));
            }
            String entryId = Text.checked(key.substring(slash + 1), "entry id", 256);
            if (value == null) {
                return new EntryDeleted(bank, entryId);
            }
            JsonNode node = JSON.readTree(value);
            Map<String, String> metadata = new LinkedHashMap<>();
            node.path("metadata")
                    .fields()
                    .forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
            JsonNode qualityNode = node.get("quality");
            if (qualityNode != null && !qualityNode.isNull() && !qualityNode.isInt()) {
                throw new IllegalArgumentException("quality must be a whole number, got " + qualityNode);
            }
            Integer quality = qualityNode == null || qualityNode.isNull() ? null : qualityNode.asInt();
            return new EntrySet(
                    bank, new BankEntry(entryId, PdqHash.parse(node.path("hash").asText()), quality, metadata));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
