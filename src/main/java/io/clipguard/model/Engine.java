package io.clipguard.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The inference engine that runs an encoder, and the bundle file format it needs.
 *
 * <p>{@link #PYTORCH} is the default: it runs the TorchScript files on the CPU.
 * {@link #ONNXRUNTIME} runs the ONNX image encoder on the CPU. {@link #TENSORRT} runs the same ONNX
 * file on TensorRT through ONNX Runtime's TensorRT execution provider (FP16, cached engines, an
 * optimization profile for the batcher's batch sizes) and needs the GPU image's libraries.
 */
public enum Engine {
    PYTORCH("pytorch", "PyTorch", "torchscript"),
    ONNXRUNTIME("onnxruntime", "OnnxRuntime", "onnx"),
    TENSORRT("tensorrt", "TensorRT", "onnx");

    private final String configName;
    private final String djlName;
    private final String fileFormat;

    Engine(String configName, String djlName, String fileFormat) {
        this.configName = configName;
        this.djlName = djlName;
        this.fileFormat = fileFormat;
    }

    /** The engine's name in configuration, for example {@code pytorch}. */
    public String configName() {
        return configName;
    }

    /** The engine's name in DJL's engine registry, for example {@code PyTorch}. */
    public String djlName() {
        return djlName;
    }

    /** The manifest's {@code files[].format} this engine loads, for example {@code onnx}. */
    public String fileFormat() {
        return fileFormat;
    }

    /**
     * Parses a configured engine name, ignoring case.
     *
     * @throws BundleException naming the valid values when {@code name} is none of them
     */
    public static Engine parse(String name) {
        for (Engine engine : values()) {
            if (engine.configName.equals(name == null ? null : name.trim().toLowerCase(Locale.ROOT))) {
                return engine;
            }
        }
        throw new BundleException("unknown engine '" + name + "': use one of " + validNames());
    }

    private static String validNames() {
        return Arrays.stream(values()).map(Engine::configName).collect(Collectors.joining(", "));
    }
}
