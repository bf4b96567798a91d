package io.clipguard.policy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What an embedding depends on, as a SHA-256 hex string: the model id and a label's expanded prompts
 * and exemplar images (by content). Thresholds, actions, queues and versions are not part of it, so a
 * threshold edit reuses the embeddings it already has.
 */
public final class EmbeddingKey {

    private EmbeddingKey() {}

    /** The key of one label's embeddings under a model. */
    public static String of(String modelId, Label label) {
        MessageDigest digest = sha256();
        update(digest, "model:" + modelId);
        for (String prompt : label.prompts()) {
            update(digest, "prompt:" + prompt);
        }
        for (Path exemplar : label.exemplars()) {
            update(digest, "exemplar:");
            digest.update(contentHash(exemplar));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The key of a whole policy's embeddings under a model: its labels' keys, in order. */
    public static String of(String modelId, Policy policy) {
        MessageDigest digest = sha256();
        update(digest, "model:" + modelId);
        for (Label label : policy.labels()) {
            update(digest, "label:" + label.id() + "=" + of(modelId, label));
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static byte[] contentHash(Path file) {
        try {
            return sha256().digest(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new PolicyException("cannot read exemplar image " + file + ": " + e.getMessage(), e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        digest.update(bytes);
        digest.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
