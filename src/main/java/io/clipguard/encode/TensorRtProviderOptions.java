package io.clipguard.encode;

import io.clipguard.config.TensorRtConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime's TensorRT execution provider options for one image encoder, from the config: FP16,
 * engine and timing caches on disk, and an optimization profile whose batch range is the batcher's
 * (min 1, opt and max the largest batch), so every batch the {@code DynamicBatcher} forms runs on
 * one engine without a rebuild. Names and meanings: ONNX Runtime's TensorRT provider documentation
 * ("trt_*" provider options).
 */
final class TensorRtProviderOptions {

    private TensorRtProviderOptions() {}

    /**
     * @param inputName the encoder's input, for example {@code pixel_values}
     * @param imageSize its height and width in pixels
     */
    static Map<String, String> of(TensorRtConfig config, String inputName, int imageSize) {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("device_id", String.valueOf(config.deviceId()));
        options.put("trt_fp16_enable", config.fp16() ? "1" : "0");
        options.put("trt_max_workspace_size", String.valueOf(config.workspaceBytes()));
        options.put("trt_engine_cache_enable", "1");
        options.put("trt_engine_cache_path", config.cacheDir().toString());
        options.put("trt_timing_cache_enable", "1");
        options.put("trt_timing_cache_path", config.cacheDir().toString());
        options.put("trt_profile_min_shapes", shape(inputName, 1, imageSize));
        options.put("trt_profile_opt_shapes", shape(inputName, config.maxBatch(), imageSize));
        options.put("trt_profile_max_shapes", shape(inputName, config.maxBatch(), imageSize));
        return options;
    }

    private static String shape(String inputName, int batch, int imageSize) {
        return inputName + ":" + batch + "x3x" + imageSize + "x" + imageSize;
    }
}
