package io.clipguard.config;

import io.clipguard.model.Engine;
import java.nio.file.Path;

/**
 * Which model bundle to run and how.
 *
 * @param dir             the bundle directory (see models/README.md)
 * @param engine          the inference engine
 * @param instances       encoder instances (predictors) that may run at once
 * @param intraOpThreads  threads one inference may use
 * @param tensorRt        how the TensorRT engine builds and caches (engine=tensorrt only)
 */
public record ModelConfig(Path dir, Engine engine, int instances, int intraOpThreads, TensorRtConfig tensorRt) {

    /** With TensorRT's defaults. */
    public ModelConfig(Path dir, Engine engine, int instances, int intraOpThreads) {
        this(dir, engine, instances, intraOpThreads, TensorRtConfig.DEFAULTS);
    }
}
