package io.clipguard.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Reads the manifest's {@code files} and checks each file's presence, size and SHA-256. */
final class FileEntries {

    private final Path dir;
    private final ManifestReader manifest;

    FileEntries(Path dir, ManifestReader manifest) {
        this.dir = dir;
        this.manifest = manifest;
    }

    List<BundleFile> verify() {
        JsonNode entries = manifest.node("files");
        if (!entries.isArray() || entries.isEmpty()) {
            throw manifest.invalid("files", "must be a non-empty array", "list the bundle's files");
        }
        List<BundleFile> files = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            files.add(verified(entry("files[" + i + "]")));
        }
        if (files.stream().noneMatch(f -> f.role().equals(BundleFile.IMAGE_ENCODER))) {
            throw manifest.invalid("files", "has no image_encoder entry", "add one");
        }
        return List.copyOf(files);
    }

    private BundleFile entry(String key) {
        String relative = manifest.text(key + ".path");
        Path path = dir.resolve(relative).normalize();
        if (!path.startsWith(dir)) {
            throw manifest.invalid(
                    key + ".path", "'" + relative + "' leaves the bundle directory", "use a path relative to " + dir);
        }
        String sha256 = manifest.text(key + ".sha256");
        if (!sha256.matches("[0-9a-fA-F]{64}")) {
            throw manifest.invalid(
                    key + ".sha256", "must be 64 hex digits, got '" + sha256 + "'", "write the file's SHA-256");
        }
        return new BundleFile(
                manifest.text(key + ".role"),
                manifest.text(key + ".format"),
                path,
                sha256.toLowerCase(Locale.ROOT),
                manifest.nonNegativeLong(key + ".bytes"));
    }

    private BundleFile verified(BundleFile file) {
        if (!Files.isRegularFile(file.path())) {
            throw new BundleException(file.path() + ": missing, but " + manifest.manifest()
                    + " lists it as " + file.role() + " (" + file.format() + "); restore the file or"
                    + " remove its entry");
        }
        String actual = sha256(file.path());
        if (!actual.equals(file.sha256())) {
            throw new BundleException(file.path() + ": sha256 mismatch, manifest says " + file.sha256()
                    + " but the file hashes to " + actual + "; restore the file or re-export the bundle");
        }
        long sizeBytes = size(file.path());
        if (sizeBytes != file.sizeBytes()) {
            throw new BundleException(file.path() + ": size is " + sizeBytes + " bytes but " + manifest.manifest()
                    + " says " + file.sizeBytes() + "; fix the entry's bytes");
        }
        return file;
    }

    private static String sha256(Path path) {
        MessageDigest digest = newDigest();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new BundleException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new BundleException(path + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
