package dev.photoscore.tenants;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How a tenant is invoiced through Stripe: its Stripe customer, and the identifiers of the meter events already
 * sent for it (Stripe forgets an identifier after 24 hours; these keep a rerun from sending a month again).
 *
 * @param customerId the Stripe customer id ({@code cus_...}); empty when the tenant is not invoiced through Stripe
 * @param sentEvents identifiers of the meter events Stripe accepted for this tenant
 */
public record StripeLink(Optional<String> customerId, Set<String> sentEvents) {

    /** Not invoiced through Stripe, nothing sent. */
    public static final StripeLink NONE = new StripeLink(Optional.empty(), Set.of());

    /** What a Stripe customer id looks like: {@code cus_} and letters or digits. */
    private static final Pattern CUSTOMER_ID = Pattern.compile("cus_[A-Za-z0-9]{1,250}");

    public StripeLink {
        Objects.requireNonNull(customerId, "customerId");
        sentEvents = Set.copyOf(sentEvents);
    }

    /** The id, checked: {@code cus_} followed by 1 to 250 letters or digits. */
    static String checkCustomerId(String customerId) {
        if (customerId == null || !CUSTOMER_ID.matcher(customerId).matches()) {
            throw new IllegalArgumentException("a Stripe customer id is cus_ followed by letters and digits, not '"
                    + customerId + "'");
        }
        return customerId;
    }
}
