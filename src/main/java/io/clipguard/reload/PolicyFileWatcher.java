package io.clipguard.reload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches policy files and offers a changed file to its {@link PolicyHolder}: hot reload for a single
 * instance, or where files are distributed by other means (a config map). Checks modification time and
 * size at a fixed interval (polling works on every file system, unlike watch services on mounted
 * volumes). One daemon thread; {@link #close} stops it.
 */
public final class PolicyFileWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFileWatcher.class);

    private final Map<Path, PolicyHolder> files;
    private final Map<Path, String> seen = new HashMap<>();
    private final ScheduledExecutorService timer;

    private PolicyFileWatcher(Map<Path, PolicyHolder> files) {
        this.files = Map.copyOf(files);
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "policy-file-watcher");
            thread.setDaemon(true);
            return thread;
        });
        this.files.keySet().forEach(file -> seen.put(file, stamp(file)));
    }

    /** Starts checking {@code files} (each with the holder its policy belongs to) every {@code interval}. */
    public static PolicyFileWatcher start(Duration interval, Map<Path, PolicyHolder> files) {
        PolicyFileWatcher watcher = new PolicyFileWatcher(files);
        watcher.timer.scheduleWithFixedDelay(
                watcher::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("watching policy files {} every {} ms", files.keySet(), interval.toMillis());
        return watcher;
    }

    private void check() {
        for (Map.Entry<Path, PolicyHolder> entry : files.entrySet()) {
            Path file = entry.getKey();
            String stamp = stamp(file);
            if (stamp != null && !stamp.equals(seen.get(file))) {
                try {
                    entry.getValue().offer(Files.readString(file), file.toString());
                    seen.put(file, stamp);
                } catch (IOException e) {
                    seen.put(file, stamp);
                    LOG.warn("cannot read changed policy file {}; the policy in force stays: {}", file, e.getMessage());
                } catch (RuntimeException | Error e) {
                    // a scheduled task that throws is never run again: hot reload would stop in silence.
                    // Not the file's fault (its holder rejects a bad policy): offered again next time
                    LOG.warn("offering policy file {} failed ({}); trying again", file, e.toString());
                }
            }
        }
    }

    private static String stamp(Path file) {
        try {
            return Files.getLastModifiedTime(file) + "/" + Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
