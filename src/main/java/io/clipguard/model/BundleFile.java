package io.clipguard.model;

import java.nio.file.Path;

/**
 * One file of a model bundle, as listed in the manifest's {@code files} and verified on load.
 *
 * @param role what the file is, for example {@code image_encoder}, {@code text_encoder}, {@code tokenizer}
 * @param format how it is stored, for example {@code torchscript}, {@code onnx}, {@code huggingface}
 * @param path absolute path inside the bundle directory
 * @param sha256 lower-case hex SHA-256 of the file's bytes
 * @param sizeBytes the file's size in bytes
 */
public record BundleFile(String role, String format, Path path, String sha256, long sizeBytes) {

    public static final String IMAGE_ENCODER = "image_encoder";
    public static final String TEXT_ENCODER = "text_encoder";
    public static final String TOKENIZER = "tokenizer";
}
