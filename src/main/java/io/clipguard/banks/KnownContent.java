package io.clipguard.banks;

import io.clipguard.pdq.PdqHash;
import io.clipguard.pdq.PdqIndex;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The banks in force and their entries, matched against uploads' hashes. One writer (the bank topic's
 * watcher, or a test) applies changes; any number of pipeline threads match, against an immutable
 * {@link View} swapped in after each batch of changes.
 *
 * <p>A view is a multi-index over the entries as they were at its last rebuild, plus the entries added
 * since (scanned one by one) and the keys removed since (skipped): a hash published to the bank topic
 * matches as soon as the watcher has read it, without rebuilding an index of millions. The index is
 * rebuilt once the changes since exceed {@link #REBUILD_AFTER} entries.
 */
public final class KnownContent {

    /**
     * Changes scanned beside the index before it is rebuilt: with dihedral matching, 8 hashes against
     * this many cost an upload about 0.2 ms; a rebuild of 10 million entries takes the watcher about 10 s.
     */
    static final int REBUILD_AFTER = 5_000;

    private final int radius;
    private final int minQuality;

    // the writer's state, touched by one thread
    private final Map<String, Bank> banks = new LinkedHashMap<>();
    private final Map<String, Map<String, BankEntry>> entries = new HashMap<>();
    private final Map<String, Keyed> added = new LinkedHashMap<>();
    private final Set<String> removed = new HashSet<>();
    private Indexed indexed = new Indexed(PdqIndex.of(List.of()), new Keyed[0]);

    private volatile View view = new View(Map.of(), indexed, List.of(), Set.of(), Map.of());

    /**
     * @param radius     the largest Hamming distance that matches (31 is the industry's default)
     * @param minQuality uploads whose hash is of lower quality are not matched (50 by default)
     */
    public KnownContent(int radius, int minQuality) {
        if (radius < 0 || radius > 255 || minQuality < 0 || minQuality > 100) {
            throw new IllegalArgumentException("radius 0-255 and quality 0-100, got " + radius + " and " + minQuality);
        }
        this.radius = radius;
        this.minQuality = minQuality;
    }

    /** An entry with the bank it belongs to. */
    record Keyed(String bank, BankEntry entry) {
        String key() {
            return BankRecords.key(bank, entry.id());
        }
    }

    /** The entries indexed at the last rebuild, by position. */
    private record Indexed(PdqIndex index, Keyed[] entries) {}

    /** What the pipeline matches against: immutable. */
    private record View(
            Map<String, Bank> banks,
            Indexed indexed,
            List<Keyed> added,
            Set<String> removed,
            Map<String, Integer> sizes) {}

    /** Applies one change; {@link #publish} makes the changes so far visible to matching. */
    public void apply(BankRecords.Change change) {
        if (change instanceof BankRecords.BankSet set) {
            banks.put(set.bank().name(), set.bank());
        } else if (change instanceof BankRecords.BankDeleted deleted) {
            banks.remove(deleted.name());
        } else if (change instanceof BankRecords.EntrySet set) {
            BankEntry previous = entries.computeIfAbsent(set.bank(), b -> new HashMap<>())
                    .put(set.entry().id(), set.entry());
            if (set.entry().equals(previous)) {
                return; // sent again unchanged (bank publish sends every entry): nothing to re-index
            }
            Keyed keyed = new Keyed(set.bank(), set.entry());
            if (previous != null) {
                removed.add(keyed.key()); // the indexed copy, if any, is stale
            }
            added.put(keyed.key(), keyed);
        } else if (change instanceof BankRecords.EntryDeleted deleted) {
            Map<String, BankEntry> bank = entries.get(deleted.bank());
            if (bank != null && bank.remove(deleted.entryId()) != null) {
                String key = BankRecords.key(deleted.bank(), deleted.entryId());
                removed.add(key);
                added.remove(key);
            }
        }
    }

    /** Makes the changes applied so far visible to {@link #match}, rebuilding the index when they are many. */
    public void publish() {
        publish(true);
    }

    /** As {@link #publish()}; without {@code mayRebuild} the changes are only added to the view (a bulk load). */
    public void publish(boolean mayRebuild) {
        if (mayRebuild && added.size() + removed.size() > REBUILD_AFTER) {
            rebuild();
        }
        Map<String, Integer> sizes = new HashMap<>();
        banks.keySet()
                .forEach(name ->
                        sizes.put(name, entries.getOrDefault(name, Map.of()).size()));
        view = new View(
                Map.copyOf(banks), indexed, List.copyOf(added.values()), Set.copyOf(removed), Map.copyOf(sizes));
    }

    /** Indexes everything applied so far and makes it visible: after reading a topic from its beginning. */
    public void rebuildAndPublish() {
        rebuild();
        publish();
    }

    private void rebuild() {
        List<Keyed> all = new ArrayList<>();
        entries.forEach((bank, byId) -> byId.values().forEach(entry -> all.add(new Keyed(bank, entry))));
        List<PdqHash> hashes = new ArrayList<>(all.size());
        all.forEach(keyed -> hashes.add(keyed.entry().hash()));
        indexed = new Indexed(PdqIndex.of(hashes), all.toArray(new Keyed[0]));
        added.clear();
        removed.clear();
    }

    /**
     * The entries of banks in force within the radius of any of {@code hashes} (an upload's hash, or
     * its 8 rotations and flips), each entry once at its nearest; none when {@code quality} is below
     * the floor. Strongest action first ({@link BankAction} order), then nearest.
     */
    public List<BankMatch> match(List<PdqHash> hashes, int quality) {
        if (quality < minQuality || hashes.isEmpty()) {
            return List.of();
        }
        View current = view;
        if (current.banks().isEmpty()) {
            return List.of();
        }
        Map<String, BankMatch> nearest = new LinkedHashMap<>();
        for (PdqHash hash : hashes) {
            for (PdqIndex.Found found : current.indexed().index().search(hash, radius)) {
                Keyed keyed = current.indexed().entries()[found.position()];
                if (!current.removed().contains(keyed.key())) {
                    offer(nearest, current, keyed, found.distance());
                }
            }
            for (Keyed keyed : current.added()) {
                int d = keyed.entry().hash().distance(hash);
                if (d <= radius) {
                    offer(nearest, current, keyed, d);
                }
            }
        }
        List<BankMatch> matches = new ArrayList<>(nearest.values());
        matches.sort(Comparator.comparing(BankMatch::action)
                .thenComparingInt(BankMatch::distance)
                .thenComparing(BankMatch::bank)
                .thenComparing(BankMatch::entryId));
        return matches;
    }

    private static void offer(Map<String, BankMatch> nearest, View view, Keyed keyed, int distance) {
        Bank bank = view.banks().get(keyed.bank());
        if (bank == null) {
            return; // entries of a bank not (or no longer) defined match nothing
        }
        BankEntry entry = keyed.entry();
        BankMatch match = new BankMatch(
                bank.name(),
                bank.action(),
                bank.queue(),
                bank.version(),
                entry.id(),
                distance,
                entry.quality(),
                entry.metadata());
        nearest.merge(keyed.key(), match, (a, b) -> a.distance() <= b.distance() ? a : b);
    }

    /** The ids of a bank's entries as applied so far (for the writer: {@code bank publish} diffs against them). */
    public java.util.Set<String> entryIds(String bank) {
        return Set.copyOf(entries.getOrDefault(bank, Map.of()).keySet());
    }

    /** Each bank in force with its number of entries, as last published: for metrics and {@code bank list}. */
    public Map<Bank, Integer> sizes() {
        View current = view;
        Map<Bank, Integer> sizes = new LinkedHashMap<>();
        current.banks().values().stream()
                .sorted(Comparator.comparing(Bank::name))
                .forEach(bank -> sizes.put(bank, current.sizes().getOrDefault(bank.name(), 0)));
        return sizes;
    }

    public int radius() {
        return radius;
    }

    public int minQuality() {
        return minQuality;
    }
}
