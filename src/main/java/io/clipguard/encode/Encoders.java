package io.clipguard.encode;

import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import io.clipguard.config.TensorRtConfig;
import io.clipguard.model.BundleException;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds encoders from a validated {@link ModelBundle}. Each call loads the model once, runs one
 * warm-up input through every instance (so a broken file or a wrong output size fails here, at
 * start-up, not on the first record) and returns a thread-safe encoder the caller must close.
 *
 * <p>DJL is forced offline with tracking off before any engine starts. PyTorch's intra-op thread
 * count is JVM-wide and fixed when the engine first starts; ONNX Runtime's is per model. Keep
 * {@code instances * intraOpThreads} at or under the cores given to inference.
 */
public final class Encoders {

    private static final Logger LOG = LoggerFactory.getLogger(Encoders.class);

    private Encoders() {}

    /** A PyTorch image encoder with one instance and the engine's default threads. */
    public static ImageEncoder image(ModelBundle bundle) {
        return image(bundle, Engine.PYTORCH, 1, 0);
    }

    /**
     * Loads the bundle's image encoder for {@code engine}.
     *
     * @param instances predictors that may run concurrently (at least 1)
     * @param intraOpThreads threads per inference call; 0 keeps the engine's default
     * @throws BundleException when the bundle has no file for the engine or its output size is wrong
     * @throws EngineUnavailableException when the engine cannot run on this host
     * @throws EncoderException when the file cannot be loaded or run
     */
    public static ImageEncoder image(ModelBundle bundle, Engine engine, int instances, int intraOpThreads) {
        return image(bundle, engine, instances, intraOpThreads, TensorRtConfig.DEFAULTS);
    }

    /**
     * As {@link #image(ModelBundle, Engine, int, int)}; {@code tensorRt} says how the TensorRT engine
     * is built and cached when {@code engine} is {@link Engine#TENSORRT}. That engine runs through ONNX
     * Runtime's TensorRT provider, not DJL (DJL's own TensorRT engine takes no optimization profile
     * and no FP16, and is gone upstream after 0.33); it is warmed up at its largest batch, which
     * builds the engine on a first start (minutes) or loads it from the cache.
     */
    public static ImageEncoder image(
            ModelBundle bundle, Engine engine, int instances, int intraOpThreads, TensorRtConfig tensorRt) {
        if (engine == Engine.TENSORRT) {
            return tensorRt(bundle, tensorRt);
        }
        DjlEnvironment.prepare(intraOpThreads);
        Path file = bundle.imageEncoderFile(engine);
        long start = System.nanoTime();
        PixelTranslator translator = new PixelTranslator(bundle.image().sizePx());
        ZooModel<float[], float[]> model =
                ModelLoader.load(file, engine, translator, float[].class, float[].class, intraOpThreads);
        PredictorPool<float[], float[]> pool = warmedUp(
                new PredictorPool<>(model, instances), List.of(new float[translator.inputLength()]), bundle, file);
        LOG.info(
                "Loaded image encoder {} {} ({}, {} instance(s)) in {} ms",
                bundle.modelId(),
                bundle.modelVersion(),
                engine.configName(),
                instances,
                (System.nanoTime() - start) / 1_000_000);
        return new DjlImageEncoder(pool, bundle.embeddingDim(), translator.inputLength());
    }

    private static ImageEncoder tensorRt(ModelBundle bundle, TensorRtConfig config) {
        Path file = bundle.imageEncoderFile(Engine.TENSORRT);
        long start = System.nanoTime();
        int size = bundle.image().sizePx();
        OrtTensorRtImageEncoder encoder =
                OrtTensorRtImageEncoder.open(file, bundle.imageInputName(), size, bundle.embeddingDim(), config);
        try {
            float[][] out = encoder.encode(Collections.nCopies(config.maxBatch(), new float[3 * size * size]));
            if (out[0].length != bundle.embeddingDim()) {
                throw new BundleException(file + ": returns embeddings of length " + out[0].length + " but the"
                        + " manifest says embedding_dim=" + bundle.embeddingDim());
            }
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        LOG.info(
                "Loaded image encoder {} {} (tensorrt, fp16 {}, batch 1-{}, cache {}) in {} ms",
                bundle.modelId(),
                bundle.modelVersion(),
                config.fp16(),
                config.maxBatch(),
                config.cacheDir(),
                (System.nanoTime() - start) / 1_000_000);
        return encoder;
    }

    /**
     * Loads the bundle's TorchScript text encoder and tokenizer on the PyTorch engine.
     *
     * @throws BundleException when the bundle lacks them or they disagree with the manifest
     * @throws EncoderException when the file cannot be loaded or run
     */
    public static TextEncoder text(ModelBundle bundle) {
        DjlEnvironment.prepare(0);
        Path file = bundle.textEncoderFile();
        ClipTokenizer tokenizer = ClipTokenizer.load(bundle.tokenizerFile(), bundle.text());
        try {
            ZooModel<String, float[]> model = ModelLoader.load(
                    file, Engine.PYTORCH, new TokenTranslator(tokenizer), String.class, float[].class, 0);
            PredictorPool<String, float[]> pool =
                    warmedUp(new PredictorPool<>(model, 1), List.of("a photo"), bundle, file);
            return new DjlTextEncoder(pool, tokenizer, bundle.embeddingDim());
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static <I> PredictorPool<I, float[]> warmedUp(
            PredictorPool<I, float[]> pool, List<I> input, ModelBundle bundle, Path file) {
        try {
            int dim = pool.onEach(input).get(0).length;
            if (dim != bundle.embeddingDim()) {
                throw new BundleException(file + ": returns embeddings of length " + dim + " but "
                        + bundle.dir().resolve(ModelBundle.MANIFEST) + " says embedding_dim="
                        + bundle.embeddingDim() + "; fix the manifest or re-export the model");
            }
            return pool;
        } catch (TranslateException | RuntimeException e) {
            pool.close();
            if (e instanceof BundleException bundleException) {
                throw bundleException;
            }
            throw new EncoderException(
                    file + ": fails on a warm-up input (" + e.getMessage()
                            + "); check the input shape in manifest.json",
                    e);
        }
    }
}
