package io.clipguard.encode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipguard.config.TensorRtConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorRtProviderOptionsTest {

    @Test
    void theProfileSpansTheBatchersBatchSizesAndEnginesAreCachedInFp16() {
        Map<String, String> options = TensorRtProviderOptions.of(
                new TensorRtConfig(Path.of("/cache/h100"), true, 2L << 30, 1, 64), "pixel_values", 224);
        assertEquals("pixel_values:1x3x224x224", options.get("trt_profile_min_shapes"));
        assertEquals("pixel_values:64x3x224x224", options.get("trt_profile_opt_shapes"));
        assertEquals("pixel_values:64x3x224x224", options.get("trt_profile_max_shapes"));
        assertEquals("1", options.get("trt_fp16_enable"));
        assertEquals("1", options.get("trt_engine_cache_enable"));
        assertEquals("/cache/h100", options.get("trt_engine_cache_path"));
        assertEquals("1", options.get("trt_timing_cache_enable"));
        assertEquals("/cache/h100", options.get("trt_timing_cache_path"));
        assertEquals(String.valueOf(2L << 30), options.get("trt_max_workspace_size"));
        assertEquals("1", options.get("device_id"));
    }

    @Test
    void fp32WhenFp16IsOff() {
        Map<String, String> options =
                TensorRtProviderOptions.of(new TensorRtConfig(Path.of("/c"), false, 1L << 30, 0, 16), "images", 336);
        assertEquals("0", options.get("trt_fp16_enable"));
        assertEquals("images:16x3x336x336", options.get("trt_profile_max_shapes"));
    }
}
