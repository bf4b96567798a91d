package io.clipguard.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.avro.UploadedImage;
import io.clipguard.ingest.FetchException.Failure;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.RejectedUploadException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UploadImageSourceTest {

    @Test
    void takesInlineBytesUpToTheLimit() throws Exception {
        UploadImageSource source = new UploadImageSource(3, Optional.empty());

        assertArrayEquals(new byte[] {1, 2, 3}, source.bytes(upload(new byte[] {1, 2, 3}, null)));
        assertReason(Reason.IMAGE_TOO_LARGE, source, upload(new byte[4], null));
        assertReason(Reason.MISSING_IMAGE, source, upload(null, null));
        assertReason(Reason.URI_UNSUPPORTED, source, upload(null, "https://images.example.com/a.jpg"));
    }

    @Test
    void refusesUrisThatAreNotAbsoluteAndValid() {
        UploadImageSource source = new UploadImageSource(10, Optional.of((uri, max) -> new byte[1]));

        assertReason(Reason.URI_REFUSED, source, upload(null, "not a uri at all"));
        assertReason(Reason.URI_REFUSED, source, upload(null, "/relative/a.jpg"));
        assertReason(Reason.URI_REFUSED, source, upload(null, "mailto:someone@example.com"));
        assertReason(Reason.URI_REFUSED, source, upload(null, "https://x/" + "a".repeat(9000)));
    }

    @Test
    void mapsEachFetchFailureToItsReason() {
        assertEquals(Reason.URI_REFUSED, failingWith(new FetchException(Failure.REFUSED, "no")));
        assertEquals(Reason.IMAGE_TOO_LARGE, failingWith(new FetchException(Failure.TOO_LARGE, "big")));
        assertEquals(Reason.FETCH_FAILED, failingWith(new FetchException(Failure.PERMANENT, "404")));
        assertEquals(Reason.FETCH_FAILED, failingWith(new FetchException(Failure.TRANSIENT, "503")));
    }

    @Test
    void turnsAnyFetcherErrorIntoFetchFailed() {
        assertEquals(Reason.FETCH_FAILED, failingWith(new IllegalStateException("bug")));
        assertEquals(Reason.FETCH_FAILED, failingWith(new OutOfMemoryError("Java heap space")));
    }

    @Test
    void retriesAStoreThatRecoversAndGivesUpOnOneThatDoesNot() throws Exception {
        try (LocalImageServer server = new LocalImageServer()) {
            AtomicInteger recovering = server.flaky("/recovers.jpg", 2, 503, new byte[] {7});
            AtomicInteger down = server.flaky("/down.jpg", 1000, 502, new byte[] {7});
            FetchSettings loopback =
                    HttpImageFetcherTest.loopbackAllowed(Duration.ofSeconds(2), Duration.ofSeconds(5), 2);
            UploadImageSource source = UploadImageSource.from(loopback, 100);

            assertArrayEquals(
                    new byte[] {7},
                    source.bytes(upload(null, server.uri("/recovers.jpg").toString())));
            assertEquals(3, recovering.get());
            RejectedUploadException e = assertReason(
                    Reason.FETCH_FAILED,
                    source,
                    upload(null, server.uri("/down.jpg").toString()));
            assertEquals(3, down.get());
            assertTrue(
                    e.getMessage().contains("HTTP 502") && e.getMessage().contains("after 3 attempts"), e.getMessage());
        }
    }

    @Test
    void refusesFileUrisUnlessConfigured() {
        UploadImageSource httpsOnly = UploadImageSource.from(FetchSettings.DEFAULTS, 100);

        assertReason(Reason.URI_REFUSED, httpsOnly, upload(null, "file:///etc/passwd"));
        assertReason(Reason.URI_REFUSED, httpsOnly, upload(null, "http://169.254.169.254/latest/meta-data/"));
    }

    private static Reason failingWith(Throwable failure) {
        UploadImageSource source = new UploadImageSource(10, Optional.of((uri, max) -> {
            if (failure instanceof FetchException fetch) {
                throw fetch;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) failure;
        }));
        return assertThrows(
                        RejectedUploadException.class,
                        () -> source.bytes(upload(null, "https://images.example.com/a.jpg")))
                .reason();
    }

    private static RejectedUploadException assertReason(Reason reason, UploadImageSource source, UploadedImage upload) {
        RejectedUploadException e = assertThrows(RejectedUploadException.class, () -> source.bytes(upload));
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    static UploadedImage upload(byte[] bytes, String uri) {
        return UploadedImage.newBuilder()
                .setUploadId("u-1")
                .setUploadedAt(Instant.EPOCH)
                .setContentType("image/jpeg")
                .setImageBytes(bytes == null ? null : ByteBuffer.wrap(bytes))
                .setImageUri(uri)
                .setAttributes(Map.of())
                .build();
    }
}
