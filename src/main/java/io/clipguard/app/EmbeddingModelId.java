package io.clipguard.app;

import io.clipguard.model.BundleFile;
import io.clipguard.model.Engine;
import io.clipguard.model.ModelBundle;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The model identity that policy embeddings are keyed by, for example {@code tiny-clip@1.0.0#02a8bcbdb9335ac4}. */
final class EmbeddingModelId {

    private EmbeddingModelId() {}

    /**
     * What embeddings depend on in a bundle: its id and version and the checksums of its encoders and
     * tokenizer, so a retrained model under the same id never reuses stale embeddings.
     */
    static String of(ModelBundle bundle) {
        String checksums = bundle.files().stream()
                .filter(file -> !file.role().equals(BundleFile.IMAGE_ENCODER)
                        || file.format().equals(Engine.PYTORCH.fileFormat()))
                .map(file -> file.role() + "=" + file.sha256() + ";")
                .sorted()
                .reduce("", String::concat);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(checksums.getBytes(StandardCharsets.UTF_8));
            return bundle.modelId() + "@" + bundle.modelVersion() + "#"
                    + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
