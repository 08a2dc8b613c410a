package dev.photoscore.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.fetch.FetchException.Reason;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Host names resolved through the system resolver; only localhost and .invalid, so no name server is asked. */
class VettingDnsResolverTest {

    private final ExecutorService lookups = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        lookups.shutdownNow();
    }

    @Test
    void refusesANameThatResolvesToLoopback() {
        VettingDnsResolver resolver =
                new VettingDnsResolver(AddressPolicy.PUBLIC_ONLY, lookups, Duration.ofSeconds(2));
        VettingDnsResolver.Refusal refusal =
                assertThrows(VettingDnsResolver.Refusal.class, () -> resolver.resolve("localhost"));
        assertEquals(Reason.ADDRESS_REFUSED, refusal.reason());
    }

    @Test
    void returnsTheCheckedAddressesWhenLoopbackIsAllowed() throws UnknownHostException {
        VettingDnsResolver resolver =
                new VettingDnsResolver(
                        AddressPolicy.PUBLIC_AND_LOOPBACK, lookups, Duration.ofSeconds(2));
        InetAddress[] addresses = resolver.resolve("localhost");
        assertTrue(addresses.length > 0);
        for (InetAddress address : addresses) {
            assertTrue(address.isLoopbackAddress(), address.toString());
        }
    }

    @Test
    void aLookupThatDoesNotAnswerInTimeIsATimeout() throws InterruptedException {
        // Every lookup thread is busy, so the lookup never starts: as good as a name server that
        // never answers.
        ExecutorService stuck = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        stuck.submit(
                () -> {
                    release.await();
                    return null;
                });
        try {
            VettingDnsResolver resolver =
                    new VettingDnsResolver(
                            AddressPolicy.PUBLIC_AND_LOOPBACK, stuck, Duration.ofMillis(100));
            VettingDnsResolver.Refusal refusal =
                    assertThrows(
                            VettingDnsResolver.Refusal.class, () -> resolver.resolve("localhost"));
            assertEquals(Reason.TIMEOUT, refusal.reason());
        } finally {
            release.countDown();
            stuck.shutdownNow();
        }
    }

    @Test
    void reservedInvalidNamesFailWithoutALookup() {
        // The lookup executor takes no work, so a lookup would be rejected; ".invalid" is unknown
        // at once (RFC 6761).
        ExecutorService none = Executors.newSingleThreadExecutor();
        none.shutdown();
        VettingDnsResolver resolver =
                new VettingDnsResolver(AddressPolicy.PUBLIC_ONLY, none, Duration.ofMillis(100));
        UnknownHostException e =
                assertThrows(UnknownHostException.class, () -> resolver.resolve("photos.invalid"));
        assertFalse(e instanceof VettingDnsResolver.Refusal);
        assertThrows(UnknownHostException.class, () -> resolver.resolve("PHOTOS.INVALID."));
    }
}
