package io.clipguard.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Turns a manifest into a validated {@link ModelBundle}; every failure names its key. */
final class ManifestParser {

    static final String FORMAT = "clipguard-bundle";
    static final int FORMAT_VERSION = 1;

    private final Path dir;
    private final ManifestReader manifest;

    ManifestParser(Path dir, ManifestReader manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    ModelBundle parse() {
        manifest.text("format", FORMAT);
        int version = manifest.positiveInt("format_version");
        if (version != FORMAT_VERSION) {
            throw manifest.invalid(
                    "format_version",
                    "is " + version + ", which this build cannot read",
                    "use a bundle with format_version " + FORMAT_VERSION + " or upgrade clipguard");
        }
        int embeddingDim = manifest.positiveInt("embedding_dim");
        ImageSpec image = imageSpec();
        TextSpec text = textSpec();
        new ShapeCheck(manifest).verify(embeddingDim, image.sizePx(), text.contextLength());
        List<BundleFile> files = new FileEntries(dir, manifest).verify();
        return new ModelBundle(
                dir,
                manifest.text("model_id"),
                manifest.text("model_version"),
                manifest.node("description").asText(),
                embeddingDim,
                manifest.positiveNumber("logit_scale"),
                manifest.bool("embeddings_normalized"),
                image,
                text,
                files);
    }

    private ImageSpec imageSpec() {
        manifest.text("image.channels", "RGB");
        manifest.text("image.layout", "NCHW");
        double[] std = manifest.numbers("image.std", 3);
        if (Arrays.stream(std).anyMatch(s -> !(s > 0))) {
            throw manifest.invalid(
                    "image.std", "must hold positive numbers, got " + Arrays.toString(std), "fix its value");
        }
        return new ImageSpec(
                manifest.positiveInt("image.size"),
                manifest.text("image.resize", "shorter_side"),
                manifest.text("image.interpolation", "bicubic"),
                manifest.text("image.crop", "center"),
                manifest.positiveNumber("image.rescale"),
                boxed(manifest.numbers("image.mean", 3)),
                boxed(std));
    }

    private TextSpec textSpec() {
        return new TextSpec(
                manifest.positiveInt("text.context_length"),
                manifest.nonNegativeLong("text.bos_token_id"),
                manifest.nonNegativeLong("text.eos_token_id"),
                manifest.nonNegativeLong("text.pad_token_id"),
                manifest.bool("text.lowercase"));
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
