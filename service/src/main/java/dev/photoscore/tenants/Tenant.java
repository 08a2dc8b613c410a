package dev.photoscore.tenants;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant of the API as read from the tenants table, its secret excepted.
 *
 * <p>The photo counts are those of the moment of reading: metering changes them all the time, and a tenant
 * returned by the {@link Authenticator} may come from its cache. The figures to show a caller come from metering.
 *
 * @param clientId       the public half of the credentials, also the tenant's id
 * @param name           who the tenant is, for people
 * @param status         whether it may use the API
 * @param plan           what it pays
 * @param createdAt      when it was created
 * @param lifetimePhotos photos metered since it was created
 * @param monthlyPhotos  photos metered per calendar month (UTC); months without photos are absent
 * @param stripe         the tenant's Stripe customer and the meter events sent for it; {@link StripeLink#NONE}
 *                       when it is not invoiced through Stripe
 */
public record Tenant(String clientId, String name, TenantStatus status, Plan plan, Instant createdAt,
        long lifetimePhotos, Map<YearMonth, Long> monthlyPhotos, StripeLink stripe) {

    public Tenant {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(createdAt, "createdAt");
        monthlyPhotos = Map.copyOf(monthlyPhotos);
        Objects.requireNonNull(stripe, "stripe");
    }

    /** Photos metered in this month (UTC). */
    public long photosIn(YearMonth month) {
        return monthlyPhotos.getOrDefault(month, 0L);
    }

    /** The last month with photos metered; empty before the first photo. */
    public Optional<YearMonth> latestMonth() {
        return monthlyPhotos.keySet().stream().max(YearMonth::compareTo);
    }

    public boolean isActive() {
        return status == TenantStatus.ACTIVE;
    }
}
