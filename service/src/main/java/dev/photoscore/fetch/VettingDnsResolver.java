package dev.photoscore.fetch;

import dev.photoscore.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * The HTTP client's only way from a host name to addresses: it looks the name up once, refuses the whole name
 * if any address is not permitted, and hands the client exactly the addresses it checked, so nothing is looked
 * up twice and a DNS answer cannot change between the check and the connect. The client still connects by name,
 * so TLS (SNI, certificate check) and the Host header use the name.
 *
 * <p>Refusing the whole name rather than filtering its addresses means a name that mixes public and internal
 * addresses, a DNS rebinding favourite, never connects anywhere.
 */
final class VettingDnsResolver implements DnsResolver {

    /** A resolution that ends the fetch for a reason other than "the name does not resolve". */
    static final class Refusal extends UnknownHostException {

        private static final long serialVersionUID = 1L;

        private final transient Reason reason;

        Refusal(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }

    private final AddressPolicy policy;
    private final ExecutorService lookups;
    private final Duration lookupTimeout;

    /**
     * @param lookups runs the blocking system lookups, so that a name server that never answers costs at most
     *     {@code lookupTimeout} (Java 17 has no lookup timeout of its own)
     */
    VettingDnsResolver(AddressPolicy policy, ExecutorService lookups, Duration lookupTimeout) {
        this.policy = policy;
        this.lookups = lookups;
        this.lookupTimeout = lookupTimeout;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        InetAddress[] addresses = lookUp(host);
        for (InetAddress address : addresses) {
            if (!policy.permits(address)) {
                throw new Refusal(
                        Reason.ADDRESS_REFUSED,
                        "the URL's host does not resolve to a public address");
            }
        }
        return addresses;
    }

    /** Only used for Kerberos/SPNEGO service names, which the fetcher never needs: no reverse lookup. */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    private InetAddress[] lookUp(String host) throws UnknownHostException {
        // RFC 6761: ".invalid" never resolves, and resolver libraries should say so without asking
        // a name server.
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".invalid") || name.endsWith(".invalid.")) {
            throw new UnknownHostException(host);
        }
        Future<InetAddress[]> lookup = lookups.submit(() -> InetAddress.getAllByName(host));
        try {
            return lookup.get(lookupTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new Refusal(Reason.TIMEOUT, "the URL's host name did not resolve in time");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            UnknownHostException failure = new UnknownHostException(host);
            failure.initCause(e.getCause());
            throw failure;
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new Refusal(Reason.TIMEOUT, "the lookup of the URL's host name was interrupted");
        }
    }
}
