package dev.photoscore.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The address policy as a pure function: URL host as written, the address it means, whether it is permitted.
 * Hosts go through {@link TargetUrl} exactly as the fetcher reads them, so the odd spellings are covered too.
 */
class AddressPolicyTest {

    @ParameterizedTest(name = "{0} means {1}, refused")
    @CsvSource(
            delimiter = '|',
            value = {
                // IPv4 loopback in every spelling browsers and inet_aton accept
                "127.0.0.1            | 127.0.0.1",
                "127.255.255.254      | 127.255.255.254",
                "2130706433           | 127.0.0.1",
                "0177.0.0.1           | 127.0.0.1",
                "0x7f.0.0.1           | 127.0.0.1",
                "0x7F000001           | 127.0.0.1",
                "017700000001         | 127.0.0.1",
                "127.1                | 127.0.0.1",
                "127.0.1              | 127.0.0.1",
                "0x7f.1               | 127.0.0.1",
                "127.0.0.1.           | 127.0.0.1",
                "１２７.０.０.１      | 127.0.0.1",
                // unspecified, private, CGNAT, link-local and cloud metadata
                "0.0.0.0              | 0.0.0.0",
                "0                    | 0.0.0.0",
                "0.1.2.3              | 0.1.2.3",
                "10.0.0.1             | 10.0.0.1",
                "167772161            | 10.0.0.1",
                "172.16.0.1           | 172.16.0.1",
                "172.31.255.255       | 172.31.255.255",
                "192.168.1.1          | 192.168.1.1",
                "0xc0.0xa8.1.1        | 192.168.1.1",
                "100.64.0.1           | 100.64.0.1",
                "100.127.255.255      | 100.127.255.255",
                "169.254.169.254      | 169.254.169.254",
                "2852039166           | 169.254.169.254",
                "0xa9.0xfe.0xa9.0xfe  | 169.254.169.254",
                "0251.0376.0251.0376  | 169.254.169.254",
                "169.254.43518        | 169.254.169.254",
                // special purpose, documentation, benchmarking, multicast, reserved, broadcast
                "192.0.0.8            | 192.0.0.8",
                "192.0.2.1            | 192.0.2.1",
                "192.88.99.1          | 192.88.99.1",
                "198.18.0.1           | 198.18.0.1",
                "198.19.255.255       | 198.19.255.255",
                "198.51.100.7         | 198.51.100.7",
                "203.0.113.9          | 203.0.113.9",
                "224.0.0.1            | 224.0.0.1",
                "239.255.255.250      | 239.255.255.250",
                "240.0.0.1            | 240.0.0.1",
                "255.255.255.255      | 255.255.255.255",
                "4294967295           | 255.255.255.255",
                // IPv6: unspecified, loopback, IPv4-mapped and -compatible, NAT64 and 6to4 around
                // refused IPv4
                "[::]                 | ::",
                "[::1]                | ::1",
                "[0:0:0:0:0:0:0:1]    | ::1",
                "[::ffff:127.0.0.1]   | 127.0.0.1",
                "[::ffff:7f00:1]      | 127.0.0.1",
                "[::ffff:a9fe:a9fe]   | 169.254.169.254",
                "[::ffff:10.0.0.1]    | 10.0.0.1",
                "[::127.0.0.1]        | ::7f00:1",
                "[::8.8.8.8]          | ::808:808",
                "[64:ff9b::7f00:1]    | 64:ff9b::7f00:1",
                "[64:ff9b::169.254.169.254] | 64:ff9b::a9fe:a9fe",
                "[64:ff9b::10.1.2.3]  | 64:ff9b::a01:203",
                "[64:ff9b:1::8.8.8.8] | 64:ff9b:1::808:808",
                "[2002:7f00:1::]      | 2002:7f00:1::",
                "[2002:a9fe:a9fe::1]  | 2002:a9fe:a9fe::1",
                "[2002:c0a8:101::1]   | 2002:c0a8:101::1",
                // IPv6: unique-local (incl. EC2 metadata), link-local, site-local, multicast,
                // special and documentation
                "[fc00::1]            | fc00::1",
                "[fd00:ec2::254]      | fd00:ec2::254",
                "[fe80::1]            | fe80::1",
                "[febf::1]            | febf::1",
                "[fec0::1]            | fec0::1",
                "[ff02::1]            | ff02::1",
                "[100::1]             | 100::1",
                "[2001::1]            | 2001::1",
                "[2001:2::1]          | 2001:2::1",
                "[2001:db8::1]        | 2001:db8::1",
                "[3fff::1]            | 3fff::1",
                "[4000::1]            | 4000::1",
            })
    void refuses(String host, String meaning) throws Exception {
        InetAddress address = literalOf(host);
        assertEquals(InetAddress.getByName(meaning), address, host);
        assertFalse(AddressPolicy.PUBLIC_ONLY.permits(address), host + " must be refused");
    }

    @ParameterizedTest(name = "{0} means {1}, permitted")
    @CsvSource(
            delimiter = '|',
            value = {
                "8.8.8.8              | 8.8.8.8",
                "134744072            | 8.8.8.8",
                "0x08.0x08.0x08.0x08  | 8.8.8.8",
                "010.010.010.010      | 8.8.8.8",
                "1.1                  | 1.0.0.1",
                "93.184.216.34        | 93.184.216.34",
                "100.63.255.255       | 100.63.255.255",
                "100.128.0.0          | 100.128.0.0",
                "172.15.255.255       | 172.15.255.255",
                "172.32.0.0           | 172.32.0.0",
                "169.253.255.255      | 169.253.255.255",
                "192.0.1.1            | 192.0.1.1",
                "223.255.255.255      | 223.255.255.255",
                "[2606:4700:4700::1111] | 2606:4700:4700::1111",
                "[2a00:1450:4001:82a::200e] | 2a00:1450:4001:82a::200e",
                "[::ffff:8.8.8.8]     | 8.8.8.8",
                "[64:ff9b::8.8.8.8]   | 64:ff9b::808:808",
                "[2002:808:808::1]    | 2002:808:808::1",
                "[2001:200::1]        | 2001:200::1",
            })
    void permits(String host, String meaning) throws Exception {
        InetAddress address = literalOf(host);
        assertEquals(InetAddress.getByName(meaning), address, host);
        assertTrue(AddressPolicy.PUBLIC_ONLY.permits(address), host + " must be permitted");
    }

    @ParameterizedTest(name = "loopback allowed: {0}")
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.1",
                "2130706433",
                "127.255.255.254",
                "[::1]",
                "[::ffff:127.0.0.1]"
            })
    void developmentPolicyPermitsLoopback(String host) throws Exception {
        InetAddress address = literalOf(host);
        assertTrue(AddressPolicy.PUBLIC_AND_LOOPBACK.permits(address), host);
        assertFalse(AddressPolicy.PUBLIC_ONLY.permits(address), host);
    }

    @ParameterizedTest(name = "loopback allowed, still refused: {0}")
    @ValueSource(
            strings = {
                "0.0.0.0",
                "10.0.0.1",
                "172.16.0.1",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "224.0.0.1",
                "255.255.255.255",
                "[::]",
                "[::127.0.0.1]",
                "[64:ff9b::7f00:1]",
                "[2002:7f00:1::]",
                "[fd00:ec2::254]",
                "[fe80::1]",
                "[::ffff:169.254.169.254]"
            })
    void developmentPolicyStillRefusesEverythingElse(String host) throws Exception {
        assertFalse(AddressPolicy.PUBLIC_AND_LOOPBACK.permits(literalOf(host)), host);
    }

    private static InetAddress literalOf(String host) throws FetchException {
        return TargetUrl.parse("http://" + host + "/")
                .literal()
                .orElseThrow(() -> new AssertionError(host + " was not read as an IP literal"));
    }
}
