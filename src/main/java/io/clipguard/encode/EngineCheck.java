package io.clipguard.encode;

import io.clipguard.model.Engine;

/** Fails early, with a clear message, when an engine cannot run on this host. */
final class EngineCheck {

    private EngineCheck() {}

    /** @throws EngineUnavailableException naming the cause and the fallback engine */
    static void requireAvailable(Engine engine) {
        try {
            ai.djl.engine.Engine.getEngine(engine.djlName());
        } catch (RuntimeException | LinkageError e) {
            throw unavailable(engine, rootCause(e), e);
        }
    }

    private static String rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    private static EngineUnavailableException unavailable(Engine engine, String reason, Throwable cause) {
        return new EngineUnavailableException(
                engine.djlName() + " engine unavailable on this host: " + reason + "; use engine=pytorch", cause);
    }
}
