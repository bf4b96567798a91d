package io.clipguard.banks;

import io.clipguard.tuning.TopicSnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;

/**
 * The bank topic read once to its end, keeping only the entries written since a given time (by their
 * records' timestamps) with the banks as they stand now: what {@code bank retro} searches the past
 * for. An entry added since and removed again is not kept.
 */
public final class BankHistory {

    private BankHistory() {}

    /** The banks in force, holding only the entries added at or after {@code since}. */
    public static KnownContent addedSince(String topic, Properties client, Instant since, int radius, int minQuality) {
        KnownContent banks = new KnownContent(radius, minQuality);
        TopicSnapshot.forEachRecord(topic, client, record -> {
            BankRecords.Change change;
            try {
                change = BankRecords.parse(text(record.key()), text(record.value()));
            } catch (IllegalArgumentException e) {
                return; // the job skips it too
            }
            if (!(change instanceof BankRecords.EntrySet) || record.timestamp() >= since.toEpochMilli()) {
                banks.apply(change);
            }
        });
        banks.rebuildAndPublish();
        return banks;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
