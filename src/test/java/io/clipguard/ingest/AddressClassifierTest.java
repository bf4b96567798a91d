package io.clipguard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals only: InetAddress parses them without any lookup. */
class AddressClassifierTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1|loopback",
                "127.200.1.1|loopback",
                "::1|loopback",
                "10.1.2.3|private",
                "172.16.0.1|private",
                "172.31.255.255|private",
                "192.168.1.1|private",
                "169.254.169.254|link-local",
                "169.254.170.2|link-local",
                "fe80::1|link-local",
                "fd00:ec2::254|unique local (private)",
                "fc00::1|unique local (private)",
                "100.100.100.200|shared (carrier-grade NAT)",
                "100.64.0.1|shared (carrier-grade NAT)",
                "0.0.0.0|unspecified",
                "::|unspecified",
                "0.1.2.3|unspecified",
                "224.0.0.1|multicast",
                "239.255.255.250|multicast",
                "ff02::1|multicast",
                "255.255.255.255|reserved or broadcast",
                "240.0.0.1|reserved or broadcast",
                "192.0.2.10|documentation",
                "2001:db8::1|documentation",
                "198.18.0.1|benchmarking",
                "::ffff:127.0.0.1|loopback",
                "::ffff:169.254.169.254|link-local",
                "::7f00:1|loopback",
                "64:ff9b::a9fe:a9fe|link-local",
                "64:ff9b:1::1|local NAT64",
                "2002:a00:1::|private",
                "2002:7f00:1::|loopback",
                "2001:0:4136:e378::1|Teredo",
                "fec0::1|site-local (private)",
                "100::1|discard-only"
            })
    void refusesNonPublicAddressesByDefault(String literal, String kind) throws Exception {
        assertEquals(Optional.of(kind), AddressClassifier.nonPublicKind(InetAddress.getByName(literal)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "172.32.0.1",
                "172.15.255.255",
                "100.128.0.1",
                "169.253.255.255",
                "192.169.0.1",
                "2606:4700:4700::1111",
                "2a00:1450:4001:80b::200e",
                "64:ff9b::808:808",
                "2002:808:808::1",
                "::ffff:8.8.8.8"
            })
    void letsPublicAddressesThrough(String literal) throws Exception {
        assertEquals(Optional.empty(), AddressClassifier.nonPublicKind(InetAddress.getByName(literal)));
    }
}
