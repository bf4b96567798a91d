package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Fetches {@code http} and {@code https} URIs through the {@link SsrfGuard}: every hop, the first
 * and each redirect, is checked and the connection pinned to the checked address. One call is one
 * attempt, bounded by the fetch timeout; retries are the {@link RetryingFetcher}'s job.
 *
 * <p>Failures: {@code REFUSED} from the guard; {@code TOO_LARGE} over the byte limit; {@code
 * TRANSIENT} for timeouts, refused or reset connections, 408, 429 and 5xx; {@code PERMANENT} for
 * other statuses, too many redirects, TLS failures and malformed responses. Thread-safe.
 */
final class HttpImageFetcher implements ImageFetcher {

    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

    private final SsrfGuard guard;
    private final FetchSettings settings;
    private final PinnedHttpGet http;
    private final Clock clock;

    HttpImageFetcher(SsrfGuard guard, FetchSettings settings, SSLSocketFactory tls, Clock clock) {
        this.guard = guard;
        this.settings = settings;
        this.http = new PinnedHttpGet(settings.connectTimeout(), settings.readTimeout(), tls, clock);
        this.clock = clock;
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes) throws FetchException {
        return fetch(uri, maxBytes, Instant.MAX);
    }

    @Override
    public byte[] fetch(URI uri, long maxBytes, Instant uploadDeadline) throws FetchException {
        Instant attemptDeadline = clock.instant().plus(settings.fetchTimeout());
        Instant deadline = attemptDeadline.isBefore(uploadDeadline) ? attemptDeadline : uploadDeadline;
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            InetSocketAddress address = guard.check(current);
            PinnedHttpGet.Reply reply = get(current, address, maxBytes, deadline);
            if (!REDIRECTS.contains(reply.status())) {
                return body(current, reply);
            }
            if (redirects == settings.maxRedirects()) {
                throw new FetchException(Failure.PERMANENT, "more than " + settings.maxRedirects() + " redirects");
            }
            current = next(current, reply);
        }
    }

    private PinnedHttpGet.Reply get(URI uri, InetSocketAddress address, long maxBytes, Instant deadline)
            throws FetchException {
        try {
            return http.get(uri, address, maxBytes, deadline);
        } catch (HttpResponseHead.MalformedResponseException | SSLException e) {
            throw new FetchException(Failure.PERMANENT, "cannot fetch " + redacted(uri) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FetchException(Failure.TRANSIENT, "cannot fetch " + redacted(uri) + ": " + e, e);
        }
    }

    private static byte[] body(URI uri, PinnedHttpGet.Reply reply) throws FetchException {
        int status = reply.status();
        if (status / 100 == 2) {
            return reply.body();
        }
        boolean transientStatus = status == 408 || status == 429 || status / 100 == 5;
        throw new FetchException(
                transientStatus ? Failure.TRANSIENT : Failure.PERMANENT, "HTTP " + status + " from " + redacted(uri));
    }

    private static URI next(URI current, PinnedHttpGet.Reply reply) throws FetchException {
        String location = reply.location()
                .orElseThrow(() ->
                        new FetchException(Failure.PERMANENT, "HTTP " + reply.status() + " without a Location header"));
        try {
            return current.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(Failure.PERMANENT, "redirect to an invalid URI", e);
        }
    }

    /** Scheme, host, port and path only: user info and query strings (signatures) must not reach logs. */
    static String redacted(URI uri) {
        String host =
                uri.getHost() == null ? "" : "//" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        return uri.getScheme() + ":" + host + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
