package io.clipguard.reload;

import io.clipguard.policy.EmbeddedPolicy;
import io.clipguard.policy.Policy;
import io.clipguard.policy.PolicyEmbedder;
import io.clipguard.policy.PolicyException;
import io.clipguard.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force for one policy id, replaceable while the application runs. {@link #get} is what
 * the moderator calls per decision; {@link #offer} swaps in a new version only when it parses,
 * validates and embeds, so a broken policy is rejected with an error log and the running one stays.
 *
 * <p>Thread-safe: readers see either the old or the new policy, never a mix; offers are serialised.
 */
public final class PolicyHolder implements Supplier<EmbeddedPolicy> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);

    /** What became of an offered policy. */
    public enum Update {
        ACCEPTED,
        UNCHANGED,
        REJECTED
    }

    private final AtomicReference<EmbeddedPolicy> current;
    private final PolicyEmbedder embedder;
    private final Path baseDir;
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();

    /**
     * @param initial  the policy in force at start-up; its id is the only one this holder accepts
     * @param embedder embeds offered policies for the running model
     * @param baseDir  where exemplar paths in offered policies are resolved
     */
    public PolicyHolder(EmbeddedPolicy initial, PolicyEmbedder embedder, Path baseDir) {
        this.current = new AtomicReference<>(initial);
        this.embedder = embedder;
        this.baseDir = baseDir;
    }

    @Override
    public EmbeddedPolicy get() {
        return current.get();
    }

    /** The id of the policy this holder holds. */
    public String policyId() {
        return current.get().policy().id();
    }

    /** How many offered policies were rejected since start-up. */
    public long rejectedCount() {
        return rejected.get();
    }

    /** How many offered versions were put in force since start-up. */
    public long appliedCount() {
        return applied.get();
    }

    /**
     * Offers a new version of the policy, as YAML.
     *
     * @param source names the offer in logs, for example {@code policies[0]@12}
     * @return whether it is now in force, was already, or was rejected (and logged as an error)
     */
    public synchronized Update offer(String yaml, String source) {
        Policy live = current.get().policy();
        try {
            Policy offered = PolicyLoader.parse(yaml, source, baseDir);
            if (!offered.id().equals(live.id())) {
                throw new PolicyException(source + ": policy id '" + offered.id() + "' is not '" + live.id() + "'");
            }
            if (offered.version().equals(live.version())) {
                if (offered.equals(live)) {
                    return Update.UNCHANGED;
                }
                throw new PolicyException(source + ": version " + live.version()
                        + " is already in force with different content; give the edit a new version");
            }
            int toEmbed = embedder.missing(offered).size();
            current.set(embedder.embed(offered));
            applied.incrementAndGet();
            LOG.info(
                    "policy {} v{} -> v{} in force ({} of {} labels embedded anew) from {}",
                    live.id(),
                    live.version(),
                    offered.version(),
                    toEmbed,
                    offered.labels().size(),
                    source);
            return Update.ACCEPTED;
        } catch (RuntimeException e) {
            rejected.incrementAndGet();
            LOG.error(
                    "rejected policy from {}; {} v{} stays in force: {}",
                    source,
                    live.id(),
                    live.version(),
                    e.getMessage());
            return Update.REJECTED;
        }
    }
}
