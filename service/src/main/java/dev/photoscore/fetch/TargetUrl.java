package dev.photoscore.fetch;

import dev.photoscore.fetch.FetchException.Reason;
import java.math.BigInteger;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An http(s) URL in canonical form, safe to hand to the HTTP client: its host is either a lower-case ASCII host
 * name or an IP literal in standard notation.
 *
 * <p>Numeric hosts are read the way browsers read them (WHATWG URL standard, which matches inet_aton): a host
 * whose last label is a number is an IPv4 address in one to four parts, each decimal, octal (leading 0) or hex
 * (0x), so {@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.0.0.1} and {@code 127.1} all mean 127.0.0.1;
 * such a host that is not a valid address is refused as malformed. Internationalised names are converted to
 * ASCII first, so full-width digits cannot hide an address either. The address is then judged like any other,
 * and the URL is rewritten to the dotted quad, so no later component reinterprets the original spelling.
 */
final class TargetUrl {

    private final URI uri;
    private final InetAddress literal;

    private TargetUrl(URI uri, InetAddress literal) {
        this.uri = uri;
        this.literal = literal;
    }

    /** Parses a URL given by the API caller; failures are {@link Reason#INVALID_URL}. */
    static TargetUrl parse(String url) throws FetchException {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException | IllegalArgumentException e) {
            // java.net.URI throws NumberFormatException for some IPv6 literals
            // ("[::ffff:127.0.0.1111...]").
            throw invalid("the url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw invalid("only http and https URLs can be fetched");
        }
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw invalid("the URL has no host");
        }
        if (authority.indexOf('@') >= 0) {
            throw invalid("URLs with user credentials are not supported");
        }
        int portSeparator = authority.lastIndexOf(':');
        boolean hasPort = portSeparator >= 0 && authority.indexOf(']', portSeparator) < 0;
        String hostText = hasPort ? authority.substring(0, portSeparator) : authority;
        int port = hasPort ? port(authority.substring(portSeparator + 1)) : -1;

        InetAddress literal;
        String host;
        if (hostText.startsWith("[")) {
            literal = ipv6Literal(hostText);
            host = hostText.toLowerCase(Locale.ROOT);
        } else {
            host = asciiHostName(hostText);
            literal = endsInNumber(host) ? ipv4Literal(host) : null;
            if (literal != null) {
                host = literal.getHostAddress();
            }
        }

        String path =
                uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String canonical = scheme + "://" + host + (port < 0 ? "" : ":" + port) + path + query;
        URI parsed;
        try {
            parsed = new URI(canonical);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw invalid("the url is not a valid URL");
        }
        // java.net.URI reads a name whose last label starts with a digit ("0177.0.0.1tp") as no
        // host at all; the HTTP
        // client would then find a host of its own in the text. Only a host every reader agrees on
        // goes further.
        if (parsed.getHost() == null) {
            throw invalid("the URL's host is not a valid host name");
        }
        return new TargetUrl(parsed, literal);
    }

    /** Resolves a redirect's Location against this URL (RFC 3986); failures are {@link Reason#BAD_REDIRECT}. */
    TargetUrl redirect(String location) throws FetchException {
        try {
            return parse(resolve(new URI(location.strip())));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException(
                    Reason.BAD_REDIRECT, "the URL redirected to an invalid location");
        } catch (FetchException e) {
            throw new FetchException(
                    Reason.BAD_REDIRECT,
                    "the URL redirected to an unusable location: " + e.getMessage());
        }
    }

    /**
     * java.net.URI resolves by RFC 2396, which differs from RFC 3986 (what browsers and servers mean) in two
     * places: a reference with no path keeps the base path, and ".." never climbs above the root.
     */
    private String resolve(URI reference) {
        if (reference.getScheme() == null
                && reference.getRawAuthority() == null
                && reference.getRawPath().isEmpty()) {
            String query =
                    reference.getRawQuery() != null ? reference.getRawQuery() : uri.getRawQuery();
            return uri.getScheme()
                    + "://"
                    + uri.getRawAuthority()
                    + uri.getRawPath()
                    + (query == null ? "" : "?" + query);
        }
        URI resolved = uri.resolve(reference);
        String path = resolved.getRawPath();
        if (path == null || !path.startsWith("/..")) {
            return resolved.toString();
        }
        while (path.startsWith("/../") || path.equals("/..")) {
            path = path.substring(3);
        }
        String query = resolved.getRawQuery() == null ? "" : "?" + resolved.getRawQuery();
        return resolved.getScheme()
                + "://"
                + resolved.getRawAuthority()
                + (path.isEmpty() ? "/" : path)
                + query;
    }

    URI uri() {
        return uri;
    }

    /** The address, when the host is an IP literal rather than a name. */
    Optional<InetAddress> literal() {
        return Optional.ofNullable(literal);
    }

    @Override
    public String toString() {
        return uri.toString();
    }

    private static int port(String text) throws FetchException {
        if (text.isEmpty()) {
            return -1;
        }
        if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalid("the URL's port is not a number from 1 to 65535");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw invalid("the URL's port is not a number from 1 to 65535");
        }
        return port;
    }

    private static InetAddress ipv6Literal(String bracketed) throws FetchException {
        if (!bracketed.endsWith("]")) {
            throw invalid("the URL's host is not a valid IPv6 address");
        }
        String text = bracketed.substring(1, bracketed.length() - 1);
        if (text.indexOf('%') >= 0) {
            throw invalid("IPv6 zone identifiers are not supported");
        }
        // Only hex digits, ':' and '.', and at least one ':': the JDK then parses a literal and
        // never looks up a name.
        if (text.indexOf(':') < 0
                || !text.chars()
                        .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
            throw invalid("the URL's host is not a valid IPv6 address");
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw invalid("the URL's host is not a valid IPv6 address");
        }
    }

    /** IDNA to ASCII with the letters-digits-hyphen rule, lower case; refuses '%', '_', empty labels and the like. */
    private static String asciiHostName(String host) throws FetchException {
        if (host.isEmpty()) {
            throw invalid("the URL has no host");
        }
        try {
            return IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalid("the URL's host is not a valid host name");
        }
    }

    /** The WHATWG "ends in a number" test: the last label (ignoring a final dot) is decimal digits or 0x hex. */
    private static boolean endsInNumber(String host) {
        List<String> labels = labels(host);
        String last = labels.get(labels.size() - 1);
        if (!last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return true;
        }
        return last.startsWith("0x")
                && last.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0);
    }

    /** The WHATWG IPv4 parser: one to four numbers, all but the last below 256, the last filling the rest. */
    private static InetAddress ipv4Literal(String host) throws FetchException {
        List<String> labels = labels(host);
        if (labels.size() > 4) {
            throw invalid("the URL's host is not a valid IPv4 address");
        }
        BigInteger[] numbers = new BigInteger[labels.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = ipv4Number(labels.get(i));
        }
        BigInteger address = BigInteger.ZERO;
        for (int i = 0; i < numbers.length - 1; i++) {
            if (numbers[i].bitLength() > 8) {
                throw invalid("the URL's host is not a valid IPv4 address");
            }
            address = address.or(numbers[i].shiftLeft(8 * (3 - i)));
        }
        BigInteger last = numbers[numbers.length - 1];
        if (last.bitLength() > 8 * (5 - numbers.length)) {
            throw invalid("the URL's host is not a valid IPv4 address");
        }
        address = address.or(last);
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) address.shiftRight(8 * (3 - i)).intValue();
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    private static BigInteger ipv4Number(String label) throws FetchException {
        int radix = 10;
        String digits = label;
        if (label.startsWith("0x")) {
            radix = 16;
            digits = label.substring(2);
        } else if (label.length() > 1 && label.startsWith("0")) {
            radix = 8;
            digits = label.substring(1);
        }
        if (digits.isEmpty()) {
            if (radix == 10) {
                throw invalid("the URL's host is not a valid IPv4 address");
            }
            return BigInteger.ZERO;
        }
        if (!digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw invalid("the URL's host is not a valid IPv4 address");
        }
        try {
            return new BigInteger(digits, radix);
        } catch (NumberFormatException e) {
            throw invalid("the URL's host is not a valid IPv4 address");
        }
    }

    /** The dot-separated labels, without the empty one a final dot leaves. */
    private static List<String> labels(String host) {
        List<String> labels = new ArrayList<>(Arrays.asList(host.split("\\.", -1)));
        if (labels.size() > 1 && labels.get(labels.size() - 1).isEmpty()) {
            labels.remove(labels.size() - 1);
        }
        return labels;
    }

    private static FetchException invalid(String message) {
        return new FetchException(Reason.INVALID_URL, message);
    }
}
