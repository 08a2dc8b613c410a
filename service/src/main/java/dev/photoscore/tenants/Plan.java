package dev.photoscore.tenants;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a tenant pays: the first {@code freeAllowance} photos of its lifetime are free, every later one costs
 * {@code pricePerThousand / 1000} US dollars; an optional monthly cap limits how many photos are metered per
 * calendar month (UTC), free ones included.
 *
 * @param freeAllowance    photos free over the tenant's lifetime, at least 0
 * @param pricePerThousand USD per 1,000 paid photos, an exact decimal at least 0 (stored without trailing zeros)
 * @param monthlyCap       most photos metered per calendar month, at least 1; empty for no cap
 */
public record Plan(long freeAllowance, BigDecimal pricePerThousand, OptionalLong monthlyCap) {

    public static final long DEFAULT_FREE_ALLOWANCE = 500;
    public static final BigDecimal DEFAULT_PRICE_PER_THOUSAND = new BigDecimal("0.60");
    /** 500 free photos, then USD 0.60 per 1,000, no cap. */
    public static final Plan DEFAULT =
            new Plan(DEFAULT_FREE_ALLOWANCE, DEFAULT_PRICE_PER_THOUSAND, OptionalLong.empty());

    public Plan {
        if (freeAllowance < 0) {
            throw new IllegalArgumentException("freeAllowance must not be negative, was " + freeAllowance);
        }
        Objects.requireNonNull(pricePerThousand, "pricePerThousand");
        if (pricePerThousand.signum() < 0) {
            throw new IllegalArgumentException("pricePerThousand must not be negative, was " + pricePerThousand);
        }
        // DynamoDB keeps numbers without trailing zeros; normalising here keeps equals() true across a round trip.
        pricePerThousand = pricePerThousand.stripTrailingZeros();
        checkMonthlyCap(monthlyCap);
    }

    /** The price of one paid photo in USD, exact: {@code pricePerThousand / 1000}. */
    public BigDecimal pricePerPhoto() {
        return pricePerThousand.movePointLeft(3);
    }

    static OptionalLong checkMonthlyCap(OptionalLong cap) {
        Objects.requireNonNull(cap, "monthlyCap");
        if (cap.isPresent() && cap.getAsLong() < 1) {
            throw new IllegalArgumentException("monthlyCap must be at least 1 (disable the tenant to stop it), was "
                    + cap.getAsLong());
        }
        return cap;
    }
}
