package io.clipguard.encode;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.clipguard.config.TensorRtConfig;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The image encoder on TensorRT, through ONNX Runtime's TensorRT execution provider (the provider
 * options: {@link TensorRtProviderOptions}), with the CUDA provider behind it for any node TensorRT
 * does not take. Needs ONNX Runtime's GPU build ({@code onnxruntime_gpu}), CUDA 12, cuDNN 9 and
 * TensorRT 10 (deploy/container/Dockerfile.gpu); anywhere else {@link #open} fails with one line that
 * says what is missing. Thread-safe: ONNX Runtime sessions run concurrent calls.
 */
final class OrtTensorRtImageEncoder implements ImageEncoder {

    static final String MISSING =
            "engine=tensorrt needs ONNX Runtime's GPU build (onnxruntime_gpu) with CUDA 12, cuDNN 9 and TensorRT 10"
                    + " on a host with an NVIDIA GPU (the GPU image: deploy/container/Dockerfile.gpu); use"
                    + " engine=pytorch here";

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final int imageSize;
    private final int embeddingDim;
    private final int maxBatch;

    private OrtTensorRtImageEncoder(
            OrtEnvironment environment,
            OrtSession session,
            String inputName,
            int imageSize,
            int embeddingDim,
            int maxBatch) {
        this.environment = environment;
        this.session = session;
        this.inputName = inputName;
        this.imageSize = imageSize;
        this.embeddingDim = embeddingDim;
        this.maxBatch = maxBatch;
    }

    /**
     * Builds (or loads from the cache) the TensorRT engine for an ONNX image encoder.
     *
     * @throws EngineUnavailableException when ONNX Runtime has no TensorRT or CUDA provider here
     * @throws EncoderException when the model cannot be built into an engine
     */
    static OrtTensorRtImageEncoder open(
            Path onnxFile, String inputName, int imageSize, int embeddingDim, TensorRtConfig config) {
        // DJL's ONNX Runtime engine creates the process's one environment with its thread settings: let
        // it go first, then share it (creating ours first would make DJL's fail)
        EngineCheck.requireAvailable(io.clipguard.model.Engine.ONNXRUNTIME);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            addProviders(options, config, inputName, imageSize);
        } catch (OrtException | RuntimeException | LinkageError e) {
            options.close();
            throw new EngineUnavailableException(MISSING + " (" + e.getMessage() + ")", e);
        }
        try {
            OrtSession session = environment.createSession(onnxFile.toString(), options);
            return new OrtTensorRtImageEncoder(
                    environment, session, inputName, imageSize, embeddingDim, config.maxBatch());
        } catch (OrtException e) {
            throw new EncoderException(
                    onnxFile + ": TensorRT cannot build or load an engine for it: " + e.getMessage(), e);
        } finally {
            options.close();
        }
    }

    private static void addProviders(
            OrtSession.SessionOptions options, TensorRtConfig config, String inputName, int imageSize)
            throws OrtException {
        OrtTensorRTProviderOptions tensorRt = new OrtTensorRTProviderOptions(config.deviceId());
        for (Map.Entry<String, String> option :
                TensorRtProviderOptions.of(config, inputName, imageSize).entrySet()) {
            tensorRt.add(option.getKey(), option.getValue());
        }
        options.addTensorrt(tensorRt);
        options.addCUDA(config.deviceId());
    }

    @Override
    public float[][] encode(List<float[]> pixelBatch) {
        if (pixelBatch.isEmpty()) {
            return new float[0][];
        }
        if (pixelBatch.size() > maxBatch) {
            throw new IllegalArgumentException(
                    "a batch of " + pixelBatch.size() + " is over the engine's profile (" + maxBatch + ")");
        }
        int length = 3 * imageSize * imageSize;
        FloatBuffer input = FloatBuffer.allocate(pixelBatch.size() * length);
        for (float[] pixels : pixelBatch) {
            if (pixels.length != length) {
                throw new IllegalArgumentException("expected " + length + " floats per image, got " + pixels.length);
            }
            input.put(pixels);
        }
        input.flip();
        long[] shape = {pixelBatch.size(), 3, imageSize, imageSize};
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, input, shape);
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            float[][] embeddings = (float[][]) result.get(0).getValue();
            float[][] normalized = new float[embeddings.length][];
            for (int i = 0; i < embeddings.length; i++) {
                normalized[i] = L2Norm.normalized(embeddings[i]);
            }
            return normalized;
        } catch (OrtException e) {
            throw new EncoderException("TensorRT image encoder failed on a batch of " + pixelBatch.size(), e);
        }
    }

    @Override
    public int embeddingDim() {
        return embeddingDim;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new EncoderException("closing the TensorRT session failed", e);
        }
    }
}
