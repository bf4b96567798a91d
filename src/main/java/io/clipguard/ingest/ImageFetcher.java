package io.clipguard.ingest;

import java.net.URI;
import java.time.Instant;

/**
 * Gets the bytes an image URI points to, for one scheme or several. The seam for object stores:
 * an S3 or GCS fetcher implements this and is registered for its scheme.
 *
 * <p>Implementations must be thread-safe, must stop reading at {@code maxBytes} (never buffer more),
 * must bound the time one call can take, and must fail only with {@link FetchException}.
 */
@FunctionalInterface
public interface ImageFetcher {

    /**
     * The image's bytes, at most {@code maxBytes} of them.
     *
     * @throws FetchException {@code TOO_LARGE} beyond {@code maxBytes}; {@code REFUSED} for a URI
     *     that is not allowed; {@code TRANSIENT} or {@code PERMANENT} when the store failed
     */
    byte[] fetch(URI uri, long maxBytes) throws FetchException;

    /**
     * As {@link #fetch(URI, long)}, but giving up at {@code deadline}: the upload's overall deadline,
     * across attempts and redirects. Fetchers that cannot cut an attempt short keep their own bound.
     */
    default byte[] fetch(URI uri, long maxBytes, Instant deadline) throws FetchException {
        return fetch(uri, maxBytes);
    }
}
