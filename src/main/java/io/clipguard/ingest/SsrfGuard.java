package io.clipguard.ingest;

import io.clipguard.ingest.FetchException.Failure;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a network URI may be fetched, and where to: the scheme, host and port must be
 * allowed, the host is resolved, and every address it resolves to must be public or inside an
 * allowed network. The caller connects to the returned address and nowhere else, so a host that
 * re-resolves to an internal address between check and connect (DNS rebinding) cannot slip through;
 * each redirect is checked again. Thread-safe.
 */
public final class SsrfGuard {

    private final FetchSettings settings;
    private final List<Cidr> allowedNetworks;
    private final HostResolver resolver;

    public SsrfGuard(FetchSettings settings) {
        this(settings, HostResolver.SYSTEM);
    }

    SsrfGuard(FetchSettings settings, HostResolver resolver) {
        this.settings = settings;
        this.allowedNetworks =
                settings.allowedNetworks().stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /**
     * The checked address to connect to for {@code uri}.
     *
     * @throws FetchException {@code REFUSED} when anything is not allowed; {@code TRANSIENT} when the
     *     host does not resolve
     */
    public InetSocketAddress check(URI uri) throws FetchException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")
                || !settings.schemes().contains(scheme)) {
            throw refused("scheme '" + scheme + "' is not allowed; allowed: " + settings.schemes());
        }
        if (uri.getRawUserInfo() != null) {
            throw refused("URIs with user info are not fetched");
        }
        String host = host(uri);
        int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
        if (!settings.allowedPorts().isEmpty() && !settings.allowedPorts().contains(port)) {
            throw refused("port " + port + " is not allowed; allowed: " + settings.allowedPorts());
        }
        return new InetSocketAddress(checkedAddress(host), port);
    }

    private String host(URI uri) throws FetchException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw refused("the URI has no host");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        String name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
        if (!settings.allowedHosts().isEmpty()
                && settings.allowedHosts().stream()
                        .noneMatch(pattern -> matches(pattern.toLowerCase(Locale.ROOT), name))) {
            throw refused("host " + name + " is not allowed");
        }
        // IPv6 literals come bracketed; the resolver wants them bare
        return name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
    }

    private InetAddress checkedAddress(String host) throws FetchException {
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new FetchException(Failure.TRANSIENT, "cannot resolve host " + host, e);
        }
        if (addresses.length == 0) {
            throw new FetchException(Failure.TRANSIENT, "host " + host + " has no address");
        }
        for (InetAddress address : addresses) {
            Optional<String> kind = AddressClassifier.nonPublicKind(address);
            if (kind.isPresent() && allowedNetworks.stream().noneMatch(network -> network.contains(address))) {
                throw refused(
                        "host " + host + " resolves to " + address.getHostAddress() + ", a " + kind.get() + " address");
            }
        }
        return addresses[0];
    }

    /** {@code *.example.com} matches subdomains of example.com; anything else matches exactly. */
    private static boolean matches(String pattern, String host) {
        return pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : pattern.equals(host);
    }

    private static FetchException refused(String message) {
        return new FetchException(Failure.REFUSED, message);
    }
}
