package io.clipguard.encode;

import ai.djl.util.Utils;

/**
 * Process-wide DJL settings, applied before any engine or tokenizer starts.
 *
 * <p>DJL sends a telemetry request on first engine start and on every tokenizer creation unless
 * offline mode ({@code DJL_OFFLINE} env, else the {@code ai.djl.offline} system property) or
 * {@code OPT_OUT_TRACKING} (env first, then system property) is true; both are read at call time
 * ({@code ai.djl.util.Ec2Utils.callHome}). Offline mode also stops DJL downloading natives or models.
 */
final class DjlEnvironment {

    static final String OFFLINE = "ai.djl.offline";
    static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
    static final String PYTORCH_THREADS = "ai.djl.pytorch.num_threads";
    static final String PYTORCH_GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";

    private DjlEnvironment() {}

    /**
     * Forces offline mode and opts out of tracking, then sets PyTorch's intra-op threads
     * ({@code intraOpThreads > 0}) unless already set: it applies JVM-wide and only before the
     * PyTorch engine first starts.
     *
     * @throws IllegalStateException when the environment forces DJL online and tracking on
     */
    static synchronized void prepare(int intraOpThreads) {
        System.setProperty(OFFLINE, "true");
        System.setProperty(OPT_OUT_TRACKING, "true");
        if (intraOpThreads > 0 && System.getProperty(PYTORCH_THREADS) == null) {
            System.setProperty(PYTORCH_THREADS, Integer.toString(intraOpThreads));
        }
        // The profiling graph executor re-optimises per input shape: dynamic batch sizes would
        // pay that cost again and again, so keep it off unless asked for.
        if (System.getProperty(PYTORCH_GRAPH_OPTIMIZER) == null) {
            System.setProperty(PYTORCH_GRAPH_OPTIMIZER, "false");
        }
        if (!Utils.isOfflineMode() && !Boolean.parseBoolean(Utils.getEnvOrSystemProperty(OPT_OUT_TRACKING))) {
            throw new IllegalStateException("DJL would send telemetry: the environment sets DJL_OFFLINE="
                    + System.getenv("DJL_OFFLINE") + " and OPT_OUT_TRACKING=" + System.getenv(OPT_OUT_TRACKING)
                    + "; unset them or set them to true");
        }
    }
}
