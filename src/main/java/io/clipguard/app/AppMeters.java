package io.clipguard.app;

import io.clipguard.ingest.FetchStats;
import io.clipguard.reload.PolicyHolder;
import io.clipguard.topology.ParkedLine;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.stream.Stream;

/**
 * The job's own state as meters, read at scrape time: fetch attempts and failures ({@code
 * clipguard_fetch_attempts_total}, {@code clipguard_fetch_failures_total}), policy versions applied
 * and rejected by hot reload ({@code clipguard_policy_versions_applied_total}, {@code
 * ..._rejected_total}), and the version in force ({@code clipguard_policy_in_force{policy,version,role}}
 * = 1), background parts that stopped ({@code clipguard_background_threads_stopped}), plus the
 * in-flight byte budget in use ({@code clipguard_in_flight_bytes}) and the uploads parked for want of
 * room in it ({@code clipguard_uploads_parked}).
 */
final class AppMeters {

    private final MultiGauge policiesInForce;
    private final List<Role> policies;

    private record Role(String role, PolicyHolder holder) {}

    private AppMeters(MultiGauge policiesInForce, List<Role> policies) {
        this.policiesInForce = policiesInForce;
        this.policies = policies;
    }

    static AppMeters bind(MeterRegistry registry, ModelRuntime runtime, BatchingRuntime batching) {
        FetchStats fetches = runtime.fetchStats();
        FunctionCounter.builder("clipguard.fetch.attempts", fetches, FetchStats::attempts)
                .description("Requests made to fetch images by URI, retries included")
                .register(registry);
        FunctionCounter.builder("clipguard.fetch.failures", fetches, FetchStats::failures)
                .description("Uploads whose image could not be fetched, after retries")
                .register(registry);
        List<Role> roles = Stream.concat(
                        Stream.of(new Role("live", runtime.policies().live())),
                        runtime.policies().shadow().map(holder -> new Role("shadow", holder)).stream())
                .toList();
        for (Role role : roles) {
            Tags tags = Tags.of("policy", role.holder().policyId(), "role", role.role());
            FunctionCounter.builder("clipguard.policy.versions.applied", role.holder(), PolicyHolder::appliedCount)
                    .description("Policy versions put in force by hot reload")
                    .tags(tags)
                    .register(registry);
            FunctionCounter.builder("clipguard.policy.versions.rejected", role.holder(), PolicyHolder::rejectedCount)
                    .description("Policy versions offered and rejected")
                    .tags(tags)
                    .register(registry);
        }
        PolicyRuntime policies = runtime.policies();
        Gauge.builder("clipguard.background.threads.stopped", () -> stoppedBackgroundThreads(policies, batching))
                .description("Background parts that ended without being told to: the policy topic watcher, the"
                        + " encoder's batch dispatchers, the event loader (liveness fails while any is)")
                .register(registry);
        if (batching != null) {
            Gauge.builder("clipguard.in.flight.bytes", batching.admission().budget(), b -> b.usedBytes())
                    .description("Bytes of uploads in flight")
                    .baseUnit("bytes")
                    .register(registry);
            Gauge.builder("clipguard.uploads.parked", batching.admission().parked(), ParkedLine::size)
                    .description("Uploads accepted and waiting for room in the in-flight budget (their offsets are"
                            + " committed, so consumer lag does not show them)")
                    .register(registry);
            Gauge.builder(
                            "clipguard.in.flight.budget.bytes",
                            batching.admission().budget(),
                            b -> b.capacityBytes())
                    .description("The in-flight byte budget")
                    .baseUnit("bytes")
                    .register(registry);
        }
        AppMeters meters = new AppMeters(
                MultiGauge.builder("clipguard.policy.in.force")
                        .description("1 for the policy version in force")
                        .register(registry),
                roles);
        meters.refresh();
        return meters;
    }

    private static int stoppedBackgroundThreads(PolicyRuntime policies, BatchingRuntime batching) {
        int stopped = policies.stoppedWatcher() == null ? 0 : 1;
        if (batching != null) {
            stopped += batching.batcher().dispatchersAlive() ? 0 : 1;
            stopped += batching.loader().alive() ? 0 : 1;
        }
        return stopped;
    }

    /** Re-reads the versions in force; call before each scrape. */
    void refresh() {
        policiesInForce.register(
                policies.stream()
                        .map(role -> MultiGauge.Row.of(
                                Tags.of(
                                        "policy",
                                        role.holder().policyId(),
                                        "version",
                                        role.holder().get().policy().version(),
                                        "role",
                                        role.role()),
                                1))
                        .toList(),
                true);
    }
}
