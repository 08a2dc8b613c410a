package dev.photoscore.fetch;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * Which IP addresses the fetcher may connect to: public unicast addresses only, so that a URL cannot reach the
 * host itself, its network, or cloud metadata endpoints (server-side request forgery).
 *
 * <p>IPv4: everything except the ranges of the IANA special-purpose registry that are not globally reachable,
 * plus multicast, the reserved 240/4 block and broadcast. IPv6: only global unicast 2000::/3, minus the IETF
 * protocol block 2001::/23 (Teredo, benchmarking, ORCHID) and the documentation ranges; that alone refuses
 * ::, ::1, IPv4-compatible ::a.b.c.d, unique-local fc00::/7, link-local fe80::/10 (and the EC2 metadata address
 * fd00:ec2::254), site-local and multicast. Forms that embed an IPv4 address the network may translate to
 * (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by that IPv4 address.
 */
final class AddressPolicy {

    /** The production policy: public addresses only. */
    static final AddressPolicy PUBLIC_ONLY = new AddressPolicy(false);

    /** For development and tests: public addresses and loopback (127.0.0.0/8, ::1), nothing else. */
    static final AddressPolicy PUBLIC_AND_LOOPBACK = new AddressPolicy(true);

    private static final List<Block> REFUSED_IPV4 =
            blocks(
                    "0.0.0.0/8", // "this network", includes the unspecified 0.0.0.0
                    "10.0.0.0/8", // private
                    "100.64.0.0/10", // carrier-grade NAT
                    "127.0.0.0/8", // loopback
                    "169.254.0.0/16", // link-local, includes the cloud metadata endpoint
                                      // 169.254.169.254
                    "172.16.0.0/12", // private
                    "192.0.0.0/24", // IETF protocol assignments
                    "192.0.2.0/24", // documentation TEST-NET-1
                    "192.88.99.0/24", // deprecated 6to4 relay anycast
                    "192.168.0.0/16", // private
                    "198.18.0.0/15", // benchmarking
                    "198.51.100.0/24", // documentation TEST-NET-2
                    "203.0.113.0/24", // documentation TEST-NET-3
                    "224.0.0.0/4", // multicast
                    "240.0.0.0/4"); // reserved, includes broadcast 255.255.255.255

    private static final Block GLOBAL_UNICAST_IPV6 = block("2000::/3");
    private static final Block NAT64_IPV6 = block("64:ff9b::/96");
    private static final Block SIX_TO_FOUR_IPV6 = block("2002::/16");
    private static final List<Block> REFUSED_GLOBAL_IPV6 =
            blocks(
                    "2001::/23", // IETF protocol assignments: Teredo 2001::/32, benchmarking,
                                 // ORCHID
                    "2001:db8::/32", // documentation
                    "3fff::/20"); // documentation (RFC 9637)

    private final boolean allowLoopback;

    private AddressPolicy(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }

    /** Whether the fetcher may connect to {@code address}. */
    boolean permits(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (isIpv4Mapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        if (allowLoopback && isLoopback(bytes)) {
            return true;
        }
        return bytes.length == 4 ? isPublicIpv4(bytes) : isPublicIpv6(bytes);
    }

    private static boolean isLoopback(byte[] bytes) {
        if (bytes.length == 4) {
            return bytes[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[15] == 1;
    }

    private static boolean isPublicIpv4(byte[] bytes) {
        return REFUSED_IPV4.stream().noneMatch(block -> block.contains(bytes));
    }

    private static boolean isPublicIpv6(byte[] bytes) {
        if (NAT64_IPV6.contains(bytes)) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (!GLOBAL_UNICAST_IPV6.contains(bytes)) {
            return false;
        }
        if (SIX_TO_FOUR_IPV6.contains(bytes)) {
            return isPublicIpv4(Arrays.copyOfRange(bytes, 2, 6));
        }
        return REFUSED_GLOBAL_IPV6.stream().noneMatch(block -> block.contains(bytes));
    }

    /** ::ffff:a.b.c.d; the JDK usually hands these out as Inet4Address already, but not always. */
    private static boolean isIpv4Mapped(byte[] bytes) {
        if (bytes.length != 16) {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    /** An address prefix in CIDR notation. */
    private record Block(byte[] prefix, int bits) {

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest);
            return (address[whole] & mask) == (prefix[whole] & mask);
        }
    }

    private static List<Block> blocks(String... cidrs) {
        return Arrays.stream(cidrs).map(AddressPolicy::block).toList();
    }

    private static Block block(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            // Literals only: getByName parses them without a lookup.
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            return new Block(prefix, Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a CIDR block: " + cidr, e);
        }
    }
}
