package io.clipguard.app;

import io.clipguard.banks.BankTopicWatcher;
import io.clipguard.banks.KnownContent;
import io.clipguard.config.AppConfig;
import io.clipguard.config.BankConfig;
import io.clipguard.pipeline.Stages;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Known content for a running job: the banks read from their topic, kept in step by a watcher, and
 * the lookup the moderator calls. Without {@code clipguard.banks.topic}, nothing is matched.
 */
final class BankRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BankRuntime.class);
    /** Reading 10 million entries and indexing them takes well under a minute; a start waits this long. */
    private static final Duration CATCH_UP = Duration.ofMinutes(5);

    private final KnownContent banks;
    private final BankTopicWatcher watcher;

    private BankRuntime(KnownContent banks, BankTopicWatcher watcher) {
        this.banks = banks;
        this.watcher = watcher;
    }

    /**
     * Reads the bank topic, if one is configured, and returns once every bank on it is in force: an
     * upload is never scored before the banks that should block it are loaded.
     */
    static BankRuntime start(AppConfig config) {
        BankConfig settings = config.banks();
        if (settings.topic().isEmpty()) {
            return new BankRuntime(null, null);
        }
        KnownContent banks = new KnownContent(settings.radius(), settings.minQuality());
        BankTopicWatcher watcher = BankTopicWatcher.start(settings.topic().get(), config.streams(), banks);
        try {
            if (!watcher.awaitCaughtUp(CATCH_UP)) {
                watcher.close();
                throw new IllegalStateException(
                        "the bank topic " + settings.topic().get() + " was not read within " + CATCH_UP.toMinutes()
                                + " minutes: not starting without the banks");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watcher.close();
            throw new IllegalStateException("interrupted while reading the bank topic", e);
        }
        LOG.info(
                "known content from {}: radius {}, quality at least {}, dihedral {}",
                settings.topic().get(),
                settings.radius(),
                settings.minQuality(),
                settings.dihedral());
        return new BankRuntime(banks, watcher);
    }

    /** The moderator's lookup. */
    Stages.Banks lookup() {
        return banks == null ? Stages.Banks.NONE : hash -> banks.match(hash.lookups(), hash.quality());
    }

    /** The banks in force, or null without a bank topic. */
    KnownContent banks() {
        return banks;
    }

    /** What stopped, for the health check, or null. */
    String stoppedPart() {
        return watcher != null && !watcher.alive() ? "the bank watcher stopped" : null;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
