package io.clipguard.config;

import java.nio.file.Path;

/**
 * How the image encoder runs on TensorRT ({@code clipguard.model.engine=tensorrt}): through ONNX
 * Runtime's TensorRT execution provider, with CUDA as the fallback for what TensorRT does not take.
 *
 * <pre>
 * clipguard.tensorrt.cache-dir=/var/cache/clipguard/tensorrt   # engines and timing cache; keep it per GPU type
 * clipguard.tensorrt.fp16=true
 * clipguard.tensorrt.workspace-bytes=2147483648
 * clipguard.tensorrt.device-id=0
 * </pre>
 *
 * The optimization profile's batch range is the batcher's: 1 to {@code clipguard.batch.max-size}, tuned
 * for that largest batch (what a loaded pipeline sends).
 *
 * @param cacheDir       where built engines and the timing cache are kept: the first start builds them
 *                       (minutes), later starts load them (seconds)
 * @param fp16           let TensorRT pick FP16 kernels
 * @param workspaceBytes the most GPU memory TensorRT may use to build and run an engine
 * @param deviceId       the CUDA device
 * @param maxBatch       the largest batch the encoder is given
 */
public record TensorRtConfig(Path cacheDir, boolean fp16, long workspaceBytes, int deviceId, int maxBatch) {

    public static final TensorRtConfig DEFAULTS =
            new TensorRtConfig(Path.of("/var/cache/clipguard/tensorrt"), true, 2L << 30, 0, 16);

    public TensorRtConfig {
        if (maxBatch < 1) {
            throw new ConfigException("the largest batch must be at least 1, not " + maxBatch);
        }
    }

    static TensorRtConfig read(Settings settings, int maxBatch) {
        String device = settings.text("tensorrt.device-id", "0");
        int deviceId;
        try {
            deviceId = Integer.parseInt(device);
        } catch (NumberFormatException e) {
            deviceId = -1;
        }
        if (deviceId < 0) {
            throw new ConfigException(
                    ConfigLoader.PREFIX + "tensorrt.device-id=" + device + " is not valid: use a CUDA device number");
        }
        return new TensorRtConfig(
                Path.of(settings.text("tensorrt.cache-dir", DEFAULTS.cacheDir().toString())),
                settings.flag("tensorrt.fp16", DEFAULTS.fp16()),
                settings.positiveLong("tensorrt.workspace-bytes", DEFAULTS.workspaceBytes()),
                deviceId,
                maxBatch);
    }
}
