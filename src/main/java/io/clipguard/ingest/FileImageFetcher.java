package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * Reads {@code file:} URIs, only inside one base directory: the path is normalised (no {@code ..}
 * escape), then resolved through symlinks and checked again (no symlink escape), and it must be a
 * regular file (no devices or pipes). A symlink swapped in between check and open is not defended
 * against: keep the base directory writable only by the uploader service. Thread-safe.
 */
final class FileImageFetcher implements ImageFetcher {

    private final Path realBase;

    /** @throws UncheckedIOException when the base directory does not exist */
    FileImageFetcher(Path baseDir) {
        try {
            this.realBase = baseDir.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("file base directory " + baseDir + " is not readable", e);
        }
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes) throws FetchException {
        Path file = inside(uri);
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.size(file) > maxBytes) {
                throw new FetchException(
                        Failure.TOO_LARGE,
                        "the image has " + Files.size(file) + " bytes, over the limit of " + maxBytes);
            }
            return BoundedRead.readAll(in, maxBytes, Instant.MAX, Clock.systemUTC());
        } catch (NoSuchFileException e) {
            throw new FetchException(Failure.PERMANENT, "no such file: " + uri.getRawPath(), e);
        } catch (IOException e) {
            throw new FetchException(Failure.TRANSIENT, "cannot read " + uri.getRawPath() + ": " + e, e);
        }
    }

    private Path inside(URI uri) throws FetchException {
        Path requested;
        try {
            requested = Path.of(uri).normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new FetchException(Failure.REFUSED, "not a local file URI: " + e.getMessage());
        }
        if (!requested.startsWith(realBase)) {
            throw new FetchException(Failure.REFUSED, "path " + uri.getRawPath() + " is outside the base directory");
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FetchException(Failure.PERMANENT, "no such file: " + uri.getRawPath(), e);
        } catch (IOException e) {
            throw new FetchException(Failure.TRANSIENT, "cannot resolve " + uri.getRawPath() + ": " + e, e);
        }
        if (!real.startsWith(realBase)) {
            throw new FetchException(Failure.REFUSED, "path " + uri.getRawPath() + " links outside the base directory");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new FetchException(Failure.REFUSED, "path " + uri.getRawPath() + " is not a regular file");
        }
        return real;
    }
}
