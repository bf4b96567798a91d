package io.clipguard.topology;

import io.clipguard.review.Item;
import io.clipguard.review.ItemStore;
import io.clipguard.review.QueueDepth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Review items in a task's state stores: the items by upload id, an index of each queue's undecided
 * items oldest first ({@code queue NUL flagged-at NUL upload-id}, so a prefix scan walks one queue in
 * age order), and each reviewer's last claim per queue.
 */
final class StoredItems implements ItemStore {

    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, Item> items;
    private final KeyValueStore<String, String> waiting;
    private final KeyValueStore<String, String> claims;

    StoredItems(
            KeyValueStore<String, Item> items,
            KeyValueStore<String, String> waiting,
            KeyValueStore<String, String> claims) {
        this.items = items;
        this.waiting = waiting;
        this.claims = claims;
    }

    @Override
    public Item get(String uploadId) {
        return items.get(uploadId);
    }

    @Override
    public void put(Item item) {
        items.put(item.uploadId(), item);
        if (item.state() == Item.State.DECIDED) {
            waiting.delete(indexKey(item));
        } else {
            waiting.put(indexKey(item), item.uploadId());
        }
    }

    @Override
    public Item oldestClaimable(String queue, long nowMs) {
        try (KeyValueIterator<String, String> inQueue = waiting.prefixScan(queue + '\0', KEYS)) {
            while (inQueue.hasNext()) {
                Item item = items.get(inQueue.next().value);
                if (item != null && item.claimableAt(nowMs)) {
                    return item;
                }
            }
        }
        return null;
    }

    @Override
    public String lastClaimOf(String reviewer, String queue) {
        return claims.get(reviewer + '\0' + queue);
    }

    @Override
    public void rememberClaim(String reviewer, String queue, String uploadId) {
        if (uploadId == null) {
            claims.delete(reviewer + '\0' + queue);
        } else {
            claims.put(reviewer + '\0' + queue, uploadId);
        }
    }

    @Override
    public List<QueueDepth> depths(long nowMs) {
        Map<String, long[]> byQueue = new LinkedHashMap<>(); // waiting, claimed, oldest
        try (KeyValueIterator<String, String> all = waiting.all()) {
            while (all.hasNext()) {
                KeyValue<String, String> entry = all.next();
                Item item = items.get(entry.value);
                if (item == null) {
                    continue;
                }
                long[] counts = byQueue.computeIfAbsent(item.queue(), queue -> new long[] {0, 0, Long.MAX_VALUE});
                counts[item.claimableAt(nowMs) ? 0 : 1]++;
                counts[2] = Math.min(counts[2], item.flaggedAtMs());
            }
        }
        List<QueueDepth> depths = new ArrayList<>();
        byQueue.forEach((queue, counts) -> depths.add(new QueueDepth(queue, counts[0], counts[1], counts[2])));
        return depths;
    }

    @Override
    public int forgetDecidedBefore(long cutoffMs) {
        List<String> old = new ArrayList<>();
        try (KeyValueIterator<String, Item> all = items.all()) {
            while (all.hasNext()) {
                Item item = all.next().value;
                if (item != null && item.state() == Item.State.DECIDED && item.decidedAtMs() < cutoffMs) {
                    old.add(item.uploadId());
                }
            }
        }
        old.forEach(items::delete);
        return old.size();
    }

    private static String indexKey(Item item) {
        return item.queue() + '\0' + String.format("%013d", item.flaggedAtMs()) + '\0' + item.uploadId();
    }
}
