package io.clipguard.ingest;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Tells public addresses from the ones a fetch must never reach by default: loopback, private,
 * link-local (where cloud metadata services live: 169.254.169.254, fd00:ec2::254), shared (CGNAT,
 * also Alibaba's metadata at 100.100.100.200), multicast, unspecified, broadcast, documentation,
 * benchmarking and reserved blocks. IPv6 forms that embed an IPv4 address (mapped, compatible,
 * NAT64, 6to4) are judged by that IPv4 address; Teredo, whose embedded address is obscured, is
 * refused. Stateless and thread-safe; no network access.
 */
final class AddressClassifier {

    private record Block(Cidr cidr, String kind) {}

    private static final List<Block> IPV4 = List.of(
            block("0.0.0.0/8", "unspecified"),
            block("10.0.0.0/8", "private"),
            block("100.64.0.0/10", "shared (carrier-grade NAT)"),
            block("127.0.0.0/8", "loopback"),
            block("169.254.0.0/16", "link-local"),
            block("172.16.0.0/12", "private"),
            block("192.0.0.0/24", "IETF protocol"),
            block("192.0.2.0/24", "documentation"),
            block("192.88.99.0/24", "6to4 relay"),
            block("192.168.0.0/16", "private"),
            block("198.18.0.0/15", "benchmarking"),
            block("198.51.100.0/24", "documentation"),
            block("203.0.113.0/24", "documentation"),
            block("224.0.0.0/4", "multicast"),
            block("240.0.0.0/4", "reserved or broadcast"));

    private static final List<Block> IPV6 = List.of(
            block("::/128", "unspecified"), block("::1/128", "loopback"),
            block("64:ff9b:1::/48", "local NAT64"), block("100::/64", "discard-only"),
            block("2001::/32", "Teredo"), block("2001:db8::/32", "documentation"),
            block("fc00::/7", "unique local (private)"), block("fe80::/10", "link-local"),
            block("fec0::/10", "site-local (private)"), block("ff00::/8", "multicast"));

    private static final Cidr COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressClassifier() {}

    /** Why the address is not public, for example "loopback"; empty for a public address. */
    static Optional<String> nonPublicKind(InetAddress address) {
        if (address instanceof Inet4Address) {
            return match(IPV4, address);
        }
        Optional<String> kind = match(IPV6, address);
        if (kind.isPresent()) {
            return kind;
        }
        byte[] bytes = address.getAddress();
        // IPv4-mapped addresses (::ffff:a.b.c.d) already arrive as Inet4Address
        if (COMPATIBLE.contains(address) || NAT64.contains(address)) {
            return match(IPV4, ipv4(bytes, 12));
        }
        return SIX_TO_FOUR.contains(address) ? match(IPV4, ipv4(bytes, 2)) : Optional.empty();
    }

    private static Optional<String> match(List<Block> blocks, InetAddress address) {
        return blocks.stream()
                .filter(block -> block.cidr().contains(address))
                .map(Block::kind)
                .findFirst();
    }

    private static InetAddress ipv4(byte[] bytes, int at) {
        try {
            return InetAddress.getByAddress(new byte[] {bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static Block block(String cidr, String kind) {
        return new Block(Cidr.parse(cidr), kind);
    }
}
