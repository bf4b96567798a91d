package io.clipguard.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A CLIP model bundle on disk: a validated, immutable description of its {@code manifest.json}
 * and of the files it lists.
 *
 * <p>{@link #load(Path)} checks everything that can be checked without starting an engine
 * (keys, supported values, tensor shapes against the specs, presence, size and SHA-256 of every
 * listed file) and throws a {@link BundleException} with a one-line message on the first problem.
 * Hashing reads every file once, so loading takes about a second per 500 MB.
 *
 * @param dir absolute, normalised bundle directory
 * @param modelId stable model identifier, stamped on every decision
 * @param modelVersion version of the model's weights
 * @param description one line for humans
 * @param embeddingDim length of image and text embeddings
 * @param logitScale CLIP's learned temperature: softmax logits are {@code logitScale * cosine}
 * @param embeddingsNormalized whether the encoders' outputs are already L2-normalised
 * @param image how images are pre-processed
 * @param text how texts are tokenised
 * @param files every file the manifest lists, verified
 */
public record ModelBundle(
        Path dir,
        String modelId,
        String modelVersion,
        String description,
        int embeddingDim,
        double logitScale,
        boolean embeddingsNormalized,
        ImageSpec image,
        TextSpec text,
        List<BundleFile> files) {

    public static final String MANIFEST = "manifest.json";

    public ModelBundle {
        files = List.copyOf(files);
    }

    /**
     * Loads and validates the bundle in {@code dir}.
     *
     * @throws BundleException naming the file and what to fix when anything is missing or wrong
     */
    public static ModelBundle load(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new BundleException(absolute + ": model bundle directory not found; set the model"
                    + " path to a directory that contains " + MANIFEST);
        }
        return new ManifestParser(absolute, ManifestReader.open(absolute.resolve(MANIFEST))).parse();
    }

    /** The image encoder's input tensor name ({@code inputs.image.name}), for example {@code pixel_values}. */
    public String imageInputName() {
        return ManifestReader.open(dir.resolve(MANIFEST)).text("inputs.image.name");
    }

    /** The first listed file with this role and format, if any. */
    public Optional<Path> file(String role, String format) {
        return files.stream()
                .filter(f -> f.role().equals(role) && f.format().equals(format))
                .map(BundleFile::path)
                .findFirst();
    }

    /**
     * The image encoder file that {@code engine} loads.
     *
     * @throws BundleException when the bundle has no image encoder in that engine's format
     */
    public Path imageEncoderFile(Engine engine) {
        return require(BundleFile.IMAGE_ENCODER, engine.fileFormat(), "engine=" + engine.configName());
    }

    /** The TorchScript text encoder; throws {@link BundleException} when the bundle has none. */
    public Path textEncoderFile() {
        return require(BundleFile.TEXT_ENCODER, Engine.PYTORCH.fileFormat(), "text encoding");
    }

    /** The Hugging Face {@code tokenizer.json}; throws {@link BundleException} when absent. */
    public Path tokenizerFile() {
        return require(BundleFile.TOKENIZER, "huggingface", "text encoding");
    }

    private Path require(String role, String format, String purpose) {
        return file(role, format)
                .orElseThrow(() -> new BundleException(dir.resolve(MANIFEST)
                        + ": no " + role + " file with format '" + format + "' for " + purpose
                        + "; add one to 'files' or choose an engine whose format the bundle has"));
    }
}
