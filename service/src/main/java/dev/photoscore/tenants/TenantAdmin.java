package dev.photoscore.tenants;

import dev.photoscore.store.UsageStoreUnavailableException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Administration of tenants, as the command line offers it: create, list, rotate a secret, disable and enable,
 * cap. Secrets are generated here, returned once and stored only as salted hashes.
 *
 * <p>Every operation throws {@link UsageStoreUnavailableException} when the tenants table cannot be reached, and
 * those naming a client id throw {@link UnknownTenantException} when no tenant has it.
 */
public final class TenantAdmin {

    private static final Logger LOG = LoggerFactory.getLogger(TenantAdmin.class);
    private static final int MAX_NAME_LENGTH = 200;

    private final TenantStore store;

    static final int MIN_CHOSEN_SECRET_LENGTH = 16;

    public TenantAdmin(TenantStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Creates an active tenant on the {@link Plan#DEFAULT default plan}; the secret is shown only now. */
    public ClientCredentials create(String name) {
        return create(name, Plan.DEFAULT);
    }

    /** Creates an active tenant on this plan; the secret is shown only now. */
    public ClientCredentials create(String name, Plan plan) {
        return create(name, plan, ClientCredentials.generate());
    }

    /**
     * Creates an active tenant with credentials chosen by the caller (the local service's fixed demo tenant, for
     * scripts). The secret must be at least {@value #MIN_CHOSEN_SECRET_LENGTH} characters.
     */
    public ClientCredentials create(String name, Plan plan, ClientCredentials credentials) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(plan, "plan");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a tenant's name must be 1 to " + MAX_NAME_LENGTH
                    + " characters, not blank");
        }
        if (credentials.clientId().isBlank() || credentials.clientId().contains(":")
                || credentials.clientSecret().length() < MIN_CHOSEN_SECRET_LENGTH) {
            throw new IllegalArgumentException("a client id must be non-blank without ':' and a secret at least "
                    + MIN_CHOSEN_SECRET_LENGTH + " characters");
        }
        String clientId = credentials.clientId();
        String secret = credentials.clientSecret();
        Tenant tenant = new Tenant(clientId, name.strip(), TenantStatus.ACTIVE, plan,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), 0, Map.of(), StripeLink.NONE);
        store.insert(tenant, ClientSecrets.hash(secret));
        LOG.info("created tenant {} ({})", clientId, tenant.name());
        return new ClientCredentials(clientId, secret);
    }

    /** All tenants, oldest first. */
    public List<Tenant> list() {
        return store.list();
    }

    /**
     * Replaces the tenant's secret with a new one, shown only now. The old secret stops working at once for new
     * readers of the table, and within the authenticator's cache time in running instances.
     */
    public ClientCredentials rotateSecret(String clientId) {
        String secret = ClientSecrets.newSecret();
        store.replaceSecretHash(clientId, ClientSecrets.hash(secret));
        LOG.info("rotated the secret of tenant {}", clientId);
        return new ClientCredentials(clientId, secret);
    }

    /** Refuses the tenant's requests (403) from now on, within the authenticator's cache time. */
    public Tenant disable(String clientId) {
        Tenant tenant = store.setStatus(clientId, TenantStatus.DISABLED);
        LOG.info("disabled tenant {}", clientId);
        return tenant;
    }

    /** Accepts the tenant's requests again. */
    public Tenant enable(String clientId) {
        Tenant tenant = store.setStatus(clientId, TenantStatus.ACTIVE);
        LOG.info("enabled tenant {}", clientId);
        return tenant;
    }

    /**
     * Invoices the tenant through this Stripe customer ({@code cus_...}), or no longer through Stripe (empty). The
     * meter events sent before are remembered either way.
     */
    public Tenant setStripeCustomer(String clientId, Optional<String> customerId) {
        Tenant tenant = store.setStripeCustomer(clientId, customerId.map(StripeLink::checkCustomerId));
        LOG.info("set the Stripe customer of tenant {} to {}", clientId, customerId.orElse("none"));
        return tenant;
    }

    /** Sets the most photos metered per calendar month (UTC), at least 1, or removes the cap (empty). */
    public Tenant setMonthlyCap(String clientId, OptionalLong cap) {
        Tenant tenant = store.setMonthlyCap(clientId, Plan.checkMonthlyCap(cap));
        LOG.info("set the monthly cap of tenant {} to {}", clientId,
                cap.isPresent() ? Long.toString(cap.getAsLong()) : "none");
        return tenant;
    }
}
