package io.clipguard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipguard.ingest.FetchException.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The guard with a fake resolver: no DNS, no network. */
class SsrfGuardTest {

    private static final Map<String, String[]> DNS = Map.of(
            "images.example.com", new String[] {"93.184.216.34"},
            "cdn.example.com", new String[] {"93.184.216.35", "2606:2800:220:1::1"},
            "metadata.example.com", new String[] {"169.254.169.254"},
            "mixed.example.com", new String[] {"93.184.216.34", "10.0.0.5"},
            "store.internal", new String[] {"10.20.1.7"});

    private final FetchSettings defaults = FetchSettings.DEFAULTS;

    @Test
    void returnsTheResolvedAddressToPinTheConnectionTo() throws Exception {
        InetSocketAddress target = guard(defaults).check(URI.create("https://images.example.com/cat.jpg"));

        assertEquals(InetAddress.getByName("93.184.216.34"), target.getAddress());
        assertEquals(443, target.getPort());
    }

    @Test
    void refusesSchemesUserInfoAndPortsThatAreNotAllowed() {
        assertRefused(defaults, "http://images.example.com/a.jpg", "scheme 'http' is not allowed");
        assertRefused(defaults, "ftp://images.example.com/a.jpg", "scheme 'ftp' is not allowed");
        assertRefused(defaults, "https://user:pw@images.example.com/a.jpg", "user info");
        assertRefused(defaults, "https://images.example.com:22/a.jpg", "port 22 is not allowed");
    }

    @Test
    void refusesHostsResolvingToNonPublicAddresses() {
        assertRefused(
                defaults,
                "https://metadata.example.com/latest/meta-data/",
                "resolves to 169.254.169.254, a link-local address");
        assertRefused(defaults, "https://mixed.example.com/a.jpg", "resolves to 10.0.0.5, a private address");
        assertRefused(defaults, "https://127.0.0.1/a.jpg", "a loopback address");
        assertRefused(defaults, "https://[::1]/a.jpg", "a loopback address");
        assertRefused(defaults, "https://[fd00:ec2::254]/a.jpg", "unique local");
        assertRefused(defaults, "https://[::ffff:169.254.169.254]/a.jpg", "link-local");
        assertRefused(defaults, "https://0.0.0.0/a.jpg", "unspecified");
    }

    @Test
    void allowsListedNetworksAndHostsOnly() throws Exception {
        FetchSettings internal = settings(List.of("store.internal", "*.example.com"), List.of("10.20.0.0/16"));

        assertEquals(
                InetAddress.getByName("10.20.1.7"),
                guard(internal)
                        .check(URI.create("https://store.internal/a.jpg"))
                        .getAddress());
        assertEquals(
                InetAddress.getByName("93.184.216.35"),
                guard(internal)
                        .check(URI.create("https://cdn.example.com/a.jpg"))
                        .getAddress(),
                "a subdomain of an allowed wildcard, on a public address");
        assertRefused(internal, "https://example.com/a.jpg", "host example.com is not allowed");
        assertRefused(internal, "https://images.example.org/a.jpg", "not allowed");
        assertRefused(internal, "https://mixed.example.com/a.jpg", "10.0.0.5, a private address");
    }

    @Test
    void resolvesOncePerCheckSoARebindingHostCannotSwapTheAddress() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        SsrfGuard rebinding =
                new SsrfGuard(defaults, host -> new InetAddress[] {
                    InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.216.34" : "127.0.0.1")
                });

        InetSocketAddress first = rebinding.check(URI.create("https://evil.example.com/a.jpg"));

        assertEquals(1, lookups.get());
        assertEquals("93.184.216.34", first.getAddress().getHostAddress());
        FetchException second =
                assertThrows(FetchException.class, () -> rebinding.check(URI.create("https://evil.example.com/a.jpg")));
        assertEquals(Failure.REFUSED, second.failure());
    }

    @Test
    void treatsAHostThatDoesNotResolveAsTransient() {
        FetchException e = assertThrows(
                FetchException.class, () -> guard(defaults).check(URI.create("https://nowhere.example.com/a.jpg")));

        assertEquals(Failure.TRANSIENT, e.failure());
    }

    private static FetchSettings settings(List<String> hosts, List<String> networks) {
        FetchSettings d = FetchSettings.DEFAULTS;
        return new FetchSettings(
                Set.of("https"),
                hosts,
                networks,
                d.allowedPorts(),
                d.connectTimeout(),
                d.readTimeout(),
                d.fetchTimeout(),
                d.maxRedirects(),
                d.maxAttempts(),
                d.retryBackoff(),
                d.fileBaseDir(),
                d.deadline(),
                d.threads());
    }

    private static SsrfGuard guard(FetchSettings settings) {
        return new SsrfGuard(settings, SsrfGuardTest::resolve);
    }

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] literals = DNS.get(host);
        if (literals == null) {
            try {
                return new InetAddress[] {InetAddress.getByAddress(Cidr.literal(host))};
            } catch (IllegalArgumentException e) {
                throw new UnknownHostException(host);
            }
        }
        InetAddress[] addresses = new InetAddress[literals.length];
        for (int i = 0; i < literals.length; i++) {
            addresses[i] = InetAddress.getByName(literals[i]);
        }
        return addresses;
    }

    private static void assertRefused(FetchSettings settings, String uri, String why) {
        FetchException e =
                assertThrows(FetchException.class, () -> guard(settings).check(URI.create(uri)));
        assertEquals(Failure.REFUSED, e.failure(), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
