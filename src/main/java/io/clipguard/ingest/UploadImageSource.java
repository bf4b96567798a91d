package io.clipguard.ingest;

import io.clipguard.avro.UploadedImage;
import io.clipguard.pipeline.Reason;
import io.clipguard.pipeline.RejectedUploadException;
import io.clipguard.pipeline.Stages;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

/**
 * An upload's image: its inline bytes, or else the bytes its {@code image_uri} points to, fetched
 * under the {@link FetchSettings} (SSRF guard, timeouts, retries of transient failures). Both are
 * capped at {@code maxImageBytes}.
 *
 * <p>Thread-safe. Fails only with {@link RejectedUploadException}, whatever the fetcher does:
 * {@code MISSING_IMAGE}, {@code IMAGE_TOO_LARGE}, {@code URI_UNSUPPORTED} (no fetching configured),
 * {@code URI_REFUSED} (not a valid URI, or not allowed), {@code FETCH_FAILED} (after retries, or any
 * unexpected error of a fetcher).
 */
public final class UploadImageSource implements Stages.ImageSource {

    private static final int MAX_URI_CHARS = 8 * 1024;

    private final long maxImageBytes;
    private final Optional<ImageFetcher> fetcher;
    private final FetchStats stats;

    /** A source that fetches with {@code fetcher}, or refuses URIs as unsupported when empty. */
    public UploadImageSource(long maxImageBytes, Optional<ImageFetcher> fetcher) {
        this(maxImageBytes, fetcher, new FetchStats());
    }

    private UploadImageSource(long maxImageBytes, Optional<ImageFetcher> fetcher, FetchStats stats) {
        this.maxImageBytes = maxImageBytes;
        this.fetcher = fetcher;
        this.stats = stats;
    }

    /** Fetch attempts and failures since start-up (zero for a source built with its own fetcher). */
    public FetchStats stats() {
        return stats;
    }

    /** The standard fetchers for the settings' schemes, with retries, behind the SSRF guard. */
    public static UploadImageSource from(FetchSettings settings, long maxImageBytes) {
        return from(settings, maxImageBytes, defaultTls());
    }

    static UploadImageSource from(FetchSettings settings, long maxImageBytes, SSLSocketFactory tls) {
        Map<String, ImageFetcher> byScheme = new HashMap<>();
        HttpImageFetcher http = new HttpImageFetcher(new SsrfGuard(settings), settings, tls, Clock.systemUTC());
        settings.schemes().stream()
                .filter(scheme -> scheme.startsWith("http"))
                .forEach(scheme -> byScheme.put(scheme, http));
        if (settings.schemes().contains("file")) {
            byScheme.put("file", new FileImageFetcher(settings.fileBaseDir().orElseThrow()));
        }
        FetchStats stats = new FetchStats();
        Optional<ImageFetcher> fetcher = byScheme.isEmpty()
                ? Optional.empty()
                : Optional.of(new RetryingFetcher(
                        new FetchersByScheme(byScheme),
                        settings.maxAttempts(),
                        settings.retryBackoff(),
                        settings.deadline(),
                        RetryingFetcher.Sleeper.THREAD,
                        Clock.systemUTC(),
                        stats));
        return new UploadImageSource(maxImageBytes, fetcher, stats);
    }

    @Override
    public byte[] bytes(UploadedImage upload) throws RejectedUploadException {
        ByteBuffer inline = upload.getImageBytes();
        if (inline != null) {
            if (inline.remaining() > maxImageBytes) {
                throw new RejectedUploadException(
                        Reason.IMAGE_TOO_LARGE,
                        "inline image has " + inline.remaining() + " bytes, over the limit of " + maxImageBytes);
            }
            if (inline.hasArray()
                    && inline.arrayOffset() == 0
                    && inline.position() == 0
                    && inline.remaining() == inline.array().length) {
                return inline.array(); // the decoder's own array: no second copy of the image in memory
            }
            byte[] bytes = new byte[inline.remaining()];
            inline.duplicate().get(bytes);
            return bytes;
        }
        if (upload.getImageUri() == null) {
            throw new RejectedUploadException(Reason.MISSING_IMAGE, "the upload has neither image_bytes nor image_uri");
        }
        if (fetcher.isEmpty()) {
            throw new RejectedUploadException(Reason.URI_UNSUPPORTED, "fetching images by URI is not configured");
        }
        return fetch(fetcher.get(), uri(upload.getImageUri()));
    }

    private byte[] fetch(ImageFetcher images, URI uri) throws RejectedUploadException {
        String where = HttpImageFetcher.redacted(uri);
        try {
            return images.fetch(uri, maxImageBytes);
        } catch (FetchException e) {
            Reason reason =
                    switch (e.failure()) {
                        case REFUSED -> Reason.URI_REFUSED;
                        case TOO_LARGE -> Reason.IMAGE_TOO_LARGE;
                        case PERMANENT, TRANSIENT -> Reason.FETCH_FAILED;
                    };
            throw new RejectedUploadException(reason, e.getMessage(), e);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            throw new RejectedUploadException(Reason.FETCH_FAILED, "fetching " + where + " failed: " + e, e);
        }
    }

    private static URI uri(String text) throws RejectedUploadException {
        if (text.length() > MAX_URI_CHARS) {
            throw new RejectedUploadException(
                    Reason.URI_REFUSED, "image_uri is longer than " + MAX_URI_CHARS + " characters");
        }
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute() || uri.isOpaque()) {
                throw new RejectedUploadException(Reason.URI_REFUSED, "image_uri must be an absolute hierarchical URI");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new RejectedUploadException(Reason.URI_REFUSED, "image_uri is not a valid URI: " + e.getReason());
        }
    }

    private static SSLSocketFactory defaultTls() {
        try {
            return SSLContext.getDefault().getSocketFactory();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }
}
