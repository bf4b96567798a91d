package io.clipguard.ingest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How images by reference are fetched, and what the SSRF guard lets through. Immutable.
 *
 * @param schemes         URI schemes fetched: {@code https}, {@code http}, {@code file}; empty
 *                        fetches nothing (uploads by URI are refused as unsupported)
 * @param allowedHosts    host names fetched from: exact ({@code img.example.com}) or a subdomain
 *                        pattern ({@code *.example.com}); empty allows any host that resolves to a
 *                        public address
 * @param allowedNetworks CIDR blocks exempt from the refusal of loopback, private, link-local and
 *                        other non-public addresses (for example {@code 10.20.0.0/16} for an
 *                        internal object store); empty exempts none
 * @param allowedPorts    ports fetched from; empty allows any
 * @param connectTimeout  TCP connect timeout per connection
 * @param readTimeout     longest wait for the next bytes of a response
 * @param fetchTimeout    longest one attempt may take, redirects and body included
 * @param maxRedirects    redirects followed per attempt, each re-checked by the guard
 * @param maxAttempts     attempts for transient failures (1 = no retry)
 * @param retryBackoff    wait before the second attempt; doubles after each, with jitter
 * @param fileBaseDir     the directory {@code file:} URIs must stay inside; required for {@code file}
 * @param deadline        longest one upload's fetch may take, all attempts and waits included
 * @param threads         fetches in progress at once; fetching is I/O and has its own threads, so a
 *                        slow host holds fetch threads, never the threads that decode
 */
public record FetchSettings(
        Set<String> schemes,
        List<String> allowedHosts,
        List<String> allowedNetworks,
        Set<Integer> allowedPorts,
        Duration connectTimeout,
        Duration readTimeout,
        Duration fetchTimeout,
        int maxRedirects,
        int maxAttempts,
        Duration retryBackoff,
        Optional<Path> fileBaseDir,
        Duration deadline,
        int threads) {

    /**
     * https only, any public host on ports 80 and 443, 2 s connect, 5 s read, 10 s per attempt, 3 tries,
     * 20 s per upload in all, 32 fetches at once.
     */
    public static final FetchSettings DEFAULTS = new FetchSettings(
            Set.of("https"),
            List.of(),
            List.of(),
            Set.of(80, 443),
            Duration.ofSeconds(2),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            3,
            3,
            Duration.ofMillis(200),
            Optional.empty(),
            Duration.ofSeconds(20),
            32);

    public FetchSettings {
        schemes = Set.copyOf(schemes);
        allowedHosts = List.copyOf(allowedHosts);
        allowedNetworks = List.copyOf(allowedNetworks);
        allowedPorts = Set.copyOf(allowedPorts);
        for (String scheme : schemes) {
            if (!Set.of("http", "https", "file").contains(scheme)) {
                throw new IllegalArgumentException("scheme " + scheme + " is not supported: use http, https or file");
            }
        }
        if (schemes.contains("file") && fileBaseDir.isEmpty()) {
            throw new IllegalArgumentException("the file scheme needs a file base directory");
        }
        if (maxRedirects < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("maxRedirects must be >= 0 and maxAttempts >= 1");
        }
        if (deadline.isNegative() || deadline.isZero() || threads < 1) {
            throw new IllegalArgumentException("the fetch deadline must be positive and fetch threads >= 1");
        }
        allowedNetworks.forEach(Cidr::parse);
    }
}
