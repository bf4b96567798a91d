package io.clipguard.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;

/** Writes a small bundle that honours the manifest contract, with placeholder model files. */
final class FakeBundle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeBundle() {}

    static Path write(Path dir) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", "clipguard-bundle")
                .put("format_version", 1)
                .put("model_id", "fake-clip")
                .put("model_version", "0.0.1")
                .put("description", "placeholder files")
                .put("embedding_dim", 8)
                .put("logit_scale", 27.3)
                .put("embeddings_normalized", false);
        ObjectNode image = m.putObject("image")
                .put("size", 32)
                .put("resize", "shorter_side")
                .put("interpolation", "bicubic")
                .put("crop", "center")
                .put("rescale", 1 / 255.0)
                .put("channels", "RGB")
                .put("layout", "NCHW");
        image.putArray("mean").add(0.48145466).add(0.4578275).add(0.40821073);
        image.putArray("std").add(0.26862954).add(0.26130258).add(0.27577711);
        m.putObject("text")
                .put("context_length", 77)
                .put("bos_token_id", 1)
                .put("eos_token_id", 2)
                .put("pad_token_id", 0)
                .put("lowercase", true);
        tensor(m.putObject("inputs"), "image", "pixel_values", "float32", -1, 3, 32, 32);
        tensor(m.with("inputs"), "text", "input_ids", "int64", -1, 77);
        tensor(m.putObject("outputs"), "image", "image_embeds", "float32", -1, 8);
        tensor(m.with("outputs"), "text", "text_embeds", "float32", -1, 8);
        ArrayNode files = m.putArray("files");
        file(dir, files, "image_encoder", "torchscript", "image_encoder.pt");
        file(dir, files, "text_encoder", "torchscript", "text_encoder.pt");
        file(dir, files, "image_encoder", "onnx", "image_encoder.onnx");
        file(dir, files, "tokenizer", "huggingface", "tokenizer.json");
        m.putObject("provenance").put("by", "FakeBundle");
        writeManifest(dir, m);
        return dir;
    }

    static void editManifest(Path dir, Consumer<ObjectNode> edit) {
        try {
            ObjectNode manifest =
                    (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile());
            edit.accept(manifest);
            writeManifest(dir, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void tensor(ObjectNode parent, String key, String name, String dtype, long... shape) {
        ArrayNode dims =
                parent.putObject(key).put("name", name).put("dtype", dtype).putArray("shape");
        for (long dim : shape) {
            dims.add(dim);
        }
    }

    private static void file(Path dir, ArrayNode files, String role, String format, String name) {
        byte[] content = ("placeholder " + name).getBytes(StandardCharsets.UTF_8);
        try {
            Files.write(dir.resolve(name), content);
            files.addObject()
                    .put("role", role)
                    .put("format", format)
                    .put("path", name)
                    .put(
                            "sha256",
                            HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(content)))
                    .put("bytes", content.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeManifest(Path dir, ObjectNode manifest) {
        try {
            JSON.writerWithDefaultPrettyPrinter()
                    .writeValue(dir.resolve("manifest.json").toFile(), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
