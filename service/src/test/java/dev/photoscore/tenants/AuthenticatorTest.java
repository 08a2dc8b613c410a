package dev.photoscore.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.photoscore.store.DynamoDbLocalExtension;
import dev.photoscore.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthenticatorTest {

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    private static final Duration TTL = Duration.ofSeconds(30);

    private static TenantStore store;
    private static TenantAdmin admin;

    private MutableClock clock;
    private Authenticator authenticator;

    @BeforeAll
    static void table() {
        TenantStore.createTable(DYNAMODB.client(), "tenants");
        store = new TenantStore(DYNAMODB.client(), "tenants");
        admin = new TenantAdmin(store);
    }

    @BeforeEach
    void freshAuthenticator() {
        clock = new MutableClock();
        authenticator = Authenticator.builder(store).cacheTtl(TTL).clock(clock).build();
    }

    @Test
    void rightCredentialsGiveTheTenant() {
        ClientCredentials credentials = admin.create("acme");

        Tenant tenant = authenticator.authenticate(credentials.clientId(), credentials.clientSecret());

        assertEquals(store.find(credentials.clientId()).orElseThrow(), tenant);
    }

    @Test
    void aWrongSecretAndAnUnknownClientIdAreRefusedAlike() {
        ClientCredentials credentials = admin.create("acme");
        String otherSecret = admin.create("other").clientSecret();

        AuthenticationException wrongSecret = refused(credentials.clientId(), otherSecret);
        AuthenticationException unknownId = refused("0123456789abcdef0123", credentials.clientSecret());

        assertEquals(AuthenticationException.Reason.INVALID_CREDENTIALS, wrongSecret.reason());
        assertEquals(wrongSecret.reason(), unknownId.reason());
        assertEquals(wrongSecret.getMessage(), unknownId.getMessage());
    }

    @Test
    void missingOrMalformedCredentialsAreInvalid() {
        ClientCredentials credentials = admin.create("acme");

        for (AuthenticationException e : new AuthenticationException[] {
                refused(null, credentials.clientSecret()),
                refused(credentials.clientId(), null),
                refused("", credentials.clientSecret()),
                refused("has#hash", credentials.clientSecret()),
                refused(credentials.clientId(), credentials.clientSecret() + "x".repeat(300))}) {
            assertEquals(AuthenticationException.Reason.INVALID_CREDENTIALS, e.reason());
        }
    }

    @Test
    void aDisabledTenantIsForbiddenButOnlyWithTheRightSecret() {
        ClientCredentials credentials = admin.create("acme");
        admin.disable(credentials.clientId());

        AuthenticationException disabled = refused(credentials.clientId(), credentials.clientSecret());

        assertEquals(AuthenticationException.Reason.TENANT_DISABLED, disabled.reason());
        assertEquals(AuthenticationException.Reason.INVALID_CREDENTIALS,
                refused(credentials.clientId(), admin.create("other").clientSecret()).reason());
    }

    @Test
    void aCachedTenantIsTrustedUntilItsTimeToLiveEnds() {
        ClientCredentials credentials = admin.create("acme");
        authenticator.authenticate(credentials.clientId(), credentials.clientSecret());

        admin.disable(credentials.clientId());

        clock.advance(TTL.minusMillis(1));
        authenticator.authenticate(credentials.clientId(), credentials.clientSecret());
        clock.advance(Duration.ofMillis(1));
        assertEquals(AuthenticationException.Reason.TENANT_DISABLED,
                refused(credentials.clientId(), credentials.clientSecret()).reason());
    }

    @Test
    void aRotatedSecretWorksAtOnce() {
        ClientCredentials old = admin.create("acme");
        authenticator.authenticate(old.clientId(), old.clientSecret());

        ClientCredentials rotated = admin.rotateSecret(old.clientId());

        authenticator.authenticate(rotated.clientId(), rotated.clientSecret());
        // Checking the new secret read the tenant again: the old secret is refused from then on.
        assertEquals(AuthenticationException.Reason.INVALID_CREDENTIALS,
                refused(old.clientId(), old.clientSecret()).reason());
    }

    @Test
    void anOldSecretKeepsWorkingFromTheCacheUntilItExpires() {
        ClientCredentials old = admin.create("acme");
        authenticator.authenticate(old.clientId(), old.clientSecret());

        admin.rotateSecret(old.clientId());

        authenticator.authenticate(old.clientId(), old.clientSecret());
        clock.advance(TTL);
        assertEquals(AuthenticationException.Reason.INVALID_CREDENTIALS,
                refused(old.clientId(), old.clientSecret()).reason());
    }

    @Test
    void theCacheHoldsAtMostItsBoundLeastRecentlyUsedGoingFirst() {
        authenticator = Authenticator.builder(store).cacheTtl(TTL).maxCachedTenants(2).clock(clock).build();
        ClientCredentials a = admin.create("a");
        ClientCredentials b = admin.create("b");
        ClientCredentials c = admin.create("c");
        authenticator.authenticate(a.clientId(), a.clientSecret());
        authenticator.authenticate(b.clientId(), b.clientSecret());
        authenticator.authenticate(a.clientId(), a.clientSecret());
        authenticator.authenticate(c.clientId(), c.clientSecret());

        admin.disable(a.clientId());
        admin.disable(b.clientId());
        admin.disable(c.clientId());

        // b was least recently used when c came in: it was evicted and is read afresh; a and c are cached.
        assertEquals(AuthenticationException.Reason.TENANT_DISABLED, refused(b.clientId(), b.clientSecret()).reason());
        authenticator.authenticate(c.clientId(), c.clientSecret());
    }

    @Test
    void aZeroTimeToLiveReadsEveryTime() {
        authenticator = Authenticator.builder(store).cacheTtl(Duration.ZERO).clock(clock).build();
        ClientCredentials credentials = admin.create("acme");
        authenticator.authenticate(credentials.clientId(), credentials.clientSecret());

        admin.disable(credentials.clientId());

        assertEquals(AuthenticationException.Reason.TENANT_DISABLED,
                refused(credentials.clientId(), credentials.clientSecret()).reason());
    }

    private AuthenticationException refused(String clientId, String secret) {
        return assertThrows(AuthenticationException.class, () -> authenticator.authenticate(clientId, secret));
    }
}
