package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Hands each URI to the fetcher registered for its scheme; other schemes are refused. Thread-safe. */
final class FetchersByScheme implements ImageFetcher {

    private final Map<String, ImageFetcher> fetchers;

    FetchersByScheme(Map<String, ImageFetcher> fetchers) {
        this.fetchers = Map.copyOf(fetchers);
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes) throws FetchException {
        return fetcherFor(uri).fetch(uri, maxBytes);
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes, Instant deadline) throws FetchException {
        return fetcherFor(uri).fetch(uri, maxBytes, deadline);
    }

    private ImageFetcher fetcherFor(URI uri) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        ImageFetcher fetcher = fetchers.get(scheme);
        if (fetcher == null) {
            throw new FetchException(
                    Failure.REFUSED, "scheme '" + scheme + "' is not allowed; allowed: " + fetchers.keySet());
        }
        return fetcher;
    }
}
