package dev.photoscore.tenants;

import dev.photoscore.store.UsageStoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a client id and secret against the tenants table, through a short-lived cache of tenant records.
 *
 * <p>Because of the cache, a change to a tenant reaches a running instance within the cache's time to live
 * (default {@value Builder#DEFAULT_TTL_SECONDS} s): disabling, and the end of a rotated-out secret. A new secret
 * works at once: a secret that does not match the cached record is checked once more against a fresh read.
 * Secrets are never logged.
 */
public final class Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    /** Far above the 43 characters of a real secret: longer input is refused without hashing it. */
    private static final int MAX_SECRET_LENGTH = 256;

    private final TenantStore store;
    private final TenantCache cache;

    private Authenticator(Builder builder) {
        this.store = builder.store;
        this.cache = new TenantCache(builder.cacheTtl, builder.maxCachedTenants, builder.clock);
    }

    public static Builder builder(TenantStore store) {
        return new Builder(store);
    }

    /**
     * The active tenant these credentials belong to.
     *
     * @throws AuthenticationException        {@code INVALID_CREDENTIALS} (401) when either is missing, the client id
     *                                        is unknown or the secret wrong; {@code TENANT_DISABLED} (403) when the
     *                                        credentials are right but the tenant is disabled
     * @throws UsageStoreUnavailableException (503) when the tenant must be read and the store cannot be reached
     */
    public Tenant authenticate(String clientId, String clientSecret) {
        if (!TenantStore.isWellFormedClientId(clientId) || clientSecret == null
                || clientSecret.length() > MAX_SECRET_LENGTH) {
            throw refused(null, AuthenticationException.Reason.INVALID_CREDENTIALS);
        }
        StoredTenant stored = cache.get(clientId);
        if (stored == null || !ClientSecrets.matches(clientSecret, stored.secretHash())) {
            // Not cached, or cached before its secret was rotated: only a fresh read can refuse the secret.
            // (Unknown ids answer faster than wrong secrets: client ids are not secret, only their secrets are.)
            stored = read(clientId).orElse(null);
            if (stored == null || !ClientSecrets.matches(clientSecret, stored.secretHash())) {
                throw refused(stored == null ? null : clientId, AuthenticationException.Reason.INVALID_CREDENTIALS);
            }
        }
        if (!stored.tenant().isActive()) {
            throw refused(clientId, AuthenticationException.Reason.TENANT_DISABLED);
        }
        return stored.tenant();
    }

    private Optional<StoredTenant> read(String clientId) {
        Optional<StoredTenant> stored = store.load(clientId);
        stored.ifPresentOrElse(tenant -> cache.put(clientId, tenant), () -> cache.remove(clientId));
        return stored;
    }

    /**
     * Logs and makes the refusal. Only a known client id is named: what a client sends as its id may be anything, its
     * secret included when it swapped the two (a secret has the shape of a client id).
     */
    private static AuthenticationException refused(String knownClientId, AuthenticationException.Reason reason) {
        LOG.debug("refused {}: {}", knownClientId == null ? "an unknown client id" : "client id " + knownClientId,
                reason.message());
        return new AuthenticationException(reason);
    }

    public static final class Builder {

        public static final long DEFAULT_TTL_SECONDS = 60;
        static final int DEFAULT_MAX_CACHED_TENANTS = 1_000;

        private final TenantStore store;
        private Duration cacheTtl = Duration.ofSeconds(DEFAULT_TTL_SECONDS);
        private int maxCachedTenants = DEFAULT_MAX_CACHED_TENANTS;
        private Clock clock = Clock.systemUTC();

        private Builder(TenantStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** How long a tenant read from the table is trusted. Default 60 s; zero turns the cache off. */
        public Builder cacheTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("cacheTtl must not be negative, was " + ttl);
            }
            this.cacheTtl = ttl;
            return this;
        }

        /** How many tenants the cache holds at most, the least recently used going first. Default 1,000. */
        public Builder maxCachedTenants(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxCachedTenants must be at least 1, was " + max);
            }
            this.maxCachedTenants = max;
            return this;
        }

        /** The clock that ages cache entries. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Authenticator build() {
            return new Authenticator(this);
        }
    }
}
