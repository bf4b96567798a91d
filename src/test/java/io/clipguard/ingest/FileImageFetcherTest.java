package io.clipguard.ingest;

import static io.clipguard.ingest.HttpImageFetcherTest.assertFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.clipguard.ingest.FetchException.Failure;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileImageFetcherTest {

    @TempDir
    Path root;

    private Path base;
    private FileImageFetcher fetcher;

    @BeforeEach
    void files() throws Exception {
        base = Files.createDirectories(root.resolve("images"));
        Files.write(base.resolve("cat.jpg"), new byte[] {1, 2, 3});
        Files.createDirectories(base.resolve("sub"));
        Files.write(root.resolve("secret.txt"), new byte[] {6, 6, 6});
        fetcher = new FileImageFetcher(base);
    }

    @Test
    void readsFilesInsideTheBaseDirectory() throws Exception {
        Files.createSymbolicLink(base.resolve("sub/alias.jpg"), base.resolve("cat.jpg"));

        assertArrayEquals(
                new byte[] {1, 2, 3}, fetcher.fetch(base.resolve("cat.jpg").toUri(), 10));
        assertArrayEquals(
                new byte[] {1, 2, 3},
                fetcher.fetch(base.resolve("sub/alias.jpg").toUri(), 10));
    }

    @Test
    void refusesDotDotAndSymlinkEscapes() throws Exception {
        Files.createSymbolicLink(base.resolve("link.jpg"), root.resolve("secret.txt"));
        Files.createSymbolicLink(base.resolve("sub/dir"), root);

        assertFailure(Failure.REFUSED, fetcher, URI.create(base.toUri() + "../secret.txt"), 10);
        assertFailure(Failure.REFUSED, fetcher, URI.create(base.toUri() + "sub/%2e%2e/%2e%2e/secret.txt"), 10);
        assertFailure(Failure.REFUSED, fetcher, base.resolve("link.jpg").toUri(), 10);
        assertFailure(
                Failure.REFUSED, fetcher, base.resolve("sub/dir/secret.txt").toUri(), 10);
        assertFailure(Failure.REFUSED, fetcher, URI.create("file:///etc/passwd"), 10);
    }

    @Test
    void refusesWhatIsNotARegularFileAndCapsBytes() {
        assertFailure(Failure.REFUSED, fetcher, base.resolve("sub").toUri(), 10);
        assertFailure(Failure.REFUSED, fetcher, URI.create("file://otherhost" + base.resolve("cat.jpg")), 10);
        assertFailure(Failure.PERMANENT, fetcher, base.resolve("missing.jpg").toUri(), 10);
        assertFailure(Failure.TOO_LARGE, fetcher, base.resolve("cat.jpg").toUri(), 2);
    }
}
