package io.clipguard.app;

import io.clipguard.config.PolicyConfig;
import io.clipguard.model.ModelBundle;
import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.EmbeddingKey;
import io.clipguard.policy.EmbeddingProgress;
import io.clipguard.policy.ImageEmbedder;
import io.clipguard.policy.Label;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyEmbedder;
import io.clipguard.policy.PolicyEmbeddings;
import io.clipguard.policy.PolicyException;
import io.clipguard.policy.PolicyLoader;
import io.clipguard.reload.PolicyFileWatcher;
import io.clipguard.reload.PolicyHolder;
import io.clipguard.reload.PolicyTopicWatcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies of a running application: the live one and an optional shadow, each in a
 * {@link PolicyHolder} that hot reload (policy topic, or changed files) can replace. Embeddings come
 * from the precomputed file beside each policy where their keys match; the rest are computed with
 * the model's text encoder, which is loaded only then and kept for later reloads. Thread-safe; close
 * it to stop watching and free the text encoder.
 */
public final class PolicyRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRuntime.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final LazyTextEncoder text;
    private final PolicyEmbedder embedder;
    private final PolicyHolder live;
    private final Optional<PolicyHolder> shadow;
    private PolicyTopicWatcher watcher;
    private PolicyFileWatcher fileWatcher;

    private PolicyRuntime(
            LazyTextEncoder text, PolicyEmbedder embedder, PolicyHolder live, Optional<PolicyHolder> shadow) {
        this.text = text;
        this.embedder = embedder;
        this.live = live;
        this.shadow = shadow;
    }

    /** Loads and embeds the live (and shadow) policy; throws {@link PolicyException} when one cannot be used. */
    static PolicyRuntime open(
            ModelBundle bundle, PolicyConfig config, ImageEmbedder images, EmbeddingProgress progress) {
        LazyTextEncoder text = new LazyTextEncoder(bundle);
        try {
            PolicyEmbedder embedder =
                    new PolicyEmbedder(EmbeddingModelId.of(bundle), (float) bundle.logitScale(), text, images);
            PolicyHolder live = load(embedder, config.file(), config.requirePrecomputed(), progress);
            Optional<PolicyHolder> shadow =
                    config.shadowFile().map(file -> load(embedder, file, config.requirePrecomputed(), progress));
            if (shadow.isPresent() && shadow.get().policyId().equals(live.policyId())) {
                throw new PolicyException(config.shadowFile().get() + ": the shadow policy needs an id other than '"
                        + live.policyId() + "'");
            }
            shadow.ifPresent(holder -> LOG.info(
                    "shadow policy {} v{} is scored beside {} v{}; where it decides"
                            + " otherwise, its result goes to the shadow topic",
                    holder.policyId(),
                    holder.get().policy().version(),
                    live.policyId(),
                    live.get().policy().version()));
            PolicyRuntime runtime = new PolicyRuntime(text, embedder, live, shadow);
            if (!config.fileCheckInterval().isZero()) {
                runtime.watchFiles(config);
            }
            return runtime;
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }

    /** Progress for start-up logs: a line at every quarter of the prompts and images to embed. */
    public static EmbeddingProgress loggedProgress() {
        int[] quartersLogged = {0};
        return (done, total) -> {
            int quarter = total == 0 ? 4 : done * 4 / total;
            if (quarter > quartersLogged[0]) {
                quartersLogged[0] = quarter;
                LOG.info("embedded {}/{} prompts and exemplar images", done, total);
            }
        };
    }

    private void watchFiles(PolicyConfig config) {
        Map<Path, PolicyHolder> files = new HashMap<>();
        files.put(config.file(), live);
        shadow.ifPresent(holder -> files.put(config.shadowFile().get(), holder));
        fileWatcher = PolicyFileWatcher.start(config.fileCheckInterval(), files);
    }

    private static PolicyHolder load(
            PolicyEmbedder embedder, Path file, boolean requirePrecomputed, EmbeddingProgress progress) {
        Policy policy = PolicyLoader.load(file);
        Path precomputed = PolicyEmbeddings.fileFor(file);
        if (Files.exists(precomputed)) {
            PolicyEmbeddings embeddings = PolicyEmbeddings.read(precomputed);
            boolean current = embeddings.key().equals(EmbeddingKey.of(embedder.modelId(), policy));
            embedder.remember(embeddings);
            LOG.info(
                    "{}: {} for model {}",
                    precomputed,
                    current
                            ? "precomputed embeddings match"
                            : "precomputed embeddings are stale (other model or prompts)",
                    embedder.modelId());
        }
        List<Label> missing = embedder.missing(policy);
        if (!missing.isEmpty()) {
            String labels = missing.stream().map(Label::id).toList().toString();
            if (requirePrecomputed) {
                throw new PolicyException(file + ": no precomputed embeddings for labels " + labels + " with model "
                        + embedder.modelId() + " (clipguard.policy.require-precomputed=true); run: clipguard "
                        + "embed-policy --model DIR --policy " + file);
            }
            LOG.info("{}: computing embeddings of labels {} with model {}", file, labels, embedder.modelId());
        }
        long start = System.nanoTime();
        EmbeddedPolicy embedded = embedder.embed(policy, progress);
        LOG.info(
                "policy {} v{}: {} labels ready in {} ms",
                policy.id(),
                policy.version(),
                policy.labels().size(),
                (System.nanoTime() - start) / 1_000_000);
        return new PolicyHolder(embedded, embedder, PolicyLoader.baseDirOf(file));
    }

    /**
     * Watches a compacted policy topic and waits (up to 30 s) until the policies already published are
     * in force.
     */
    public synchronized void watch(String topic, Properties clientSettings) {
        Map<String, PolicyHolder> holders = new HashMap<>();
        holders.put(live.policyId(), live);
        shadow.ifPresent(holder -> holders.put(holder.policyId(), holder));
        watcher = PolicyTopicWatcher.start(topic, clientSettings, holders);
        try {
            if (!watcher.awaitCaughtUp(CATCH_UP)) {
                LOG.warn(
                        "policy topic {} not read to its end within {}; going on with what is in force",
                        topic,
                        CATCH_UP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Null while hot reload from the policy topic works (or is not used), else what stopped. */
    public synchronized String stoppedWatcher() {
        return watcher == null || watcher.alive()
                ? null
                : "the policy topic watcher stopped: this instance would drift from the others' policy versions";
    }

    /** The live policy, replaceable by hot reload. */
    public PolicyHolder live() {
        return live;
    }

    /** The shadow policy, if one is configured. */
    public Optional<PolicyHolder> shadow() {
        return shadow;
    }

    /** The embedder, for writing precomputed embeddings. */
    public PolicyEmbedder embedder() {
        return embedder;
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            watcher.close();
        }
        if (fileWatcher != null) {
            fileWatcher.close();
        }
        text.close();
    }
}
