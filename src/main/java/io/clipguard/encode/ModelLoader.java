package io.clipguard.encode;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import io.clipguard.model.Engine;
import java.io.IOException;
import java.nio.file.Path;

/** Loads one model file with one engine through DJL's {@link Criteria}. */
final class ModelLoader {

    private ModelLoader() {}

    static <I, O> ZooModel<I, O> load(
            Path file,
            Engine engine,
            Translator<I, O> translator,
            Class<I> input,
            Class<O> output,
            int intraOpThreads) {
        DjlEnvironment.prepare(intraOpThreads);
        EngineCheck.requireAvailable(engine);
        Criteria.Builder<I, O> criteria = Criteria.builder()
                .setTypes(input, output)
                // Directory plus name (not the file itself): DJL then finds <name>.pt or <name>.onnx
                // without warning about a non-archive repository.
                .optModelPath(file.getParent())
                .optModelName(baseName(file))
                .optEngine(engine.djlName())
                .optDevice(Device.cpu())
                .optTranslator(translator);
        if (engine == Engine.ONNXRUNTIME && intraOpThreads > 0) {
            criteria.optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                    .optOption("interOpNumThreads", "1");
        }
        try {
            return criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException e) {
            throw new EncoderException(
                    file + ": " + engine.configName() + " cannot load it (" + e.getMessage()
                            + "); re-export the bundle or choose another engine",
                    e);
        }
    }

    private static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
