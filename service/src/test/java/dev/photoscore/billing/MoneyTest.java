package dev.photoscore.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.photoscore.tenants.Plan;
import java.math.BigDecimal;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void theAmountDueIsRoundedToTheCentHalfUp() {
        assertEquals(new BigDecimal("0.01"), Money.due(new BigDecimal("0.005")));
        assertEquals(new BigDecimal("0.00"), Money.due(new BigDecimal("0.0049999")));
        assertEquals(new BigDecimal("0.23"), Money.due(new BigDecimal("0.225")));
        assertEquals(new BigDecimal("0.22"), Money.due(new BigDecimal("0.22499")));
        assertEquals(new BigDecimal("600.00"), Money.due(new BigDecimal("600.0000")));
        assertEquals(new BigDecimal("0.00"), Money.due(BigDecimal.ZERO));
    }

    @Test
    void amountsAreWrittenWithEveryDigitAndAtLeastTheCents() {
        assertEquals("0.00", Money.format(BigDecimal.ZERO));
        assertEquals("0.012", Money.format(new BigDecimal("0.0120")));
        assertEquals("0.30", Money.format(new BigDecimal("0.30000")));
        assertEquals("100.00", Money.format(new BigDecimal("1E+2")));
        assertEquals("0.00045", Money.format(new BigDecimal("0.00045")));
        assertEquals("1234567.8906", Money.format(new BigDecimal("1234567.8906")));
    }

    @Test
    void negativeAmountsKeepTheirDigits() {
        assertEquals("-0.003", Money.format(new BigDecimal("-0.0030")));
        assertEquals("-0.01", Money.format(new BigDecimal("-0.010")));
    }

    @Test
    void aStatementMustAddUp() {
        YearMonth month = YearMonth.of(2026, 10);
        BigDecimal price = new BigDecimal("0.0006");
        TenantStatement statement = TenantStatement.of("t", "T", month, Plan.DEFAULT, 10, 0, 4, 0, price,
                new BigDecimal("0.0024"));
        assertEquals(6, statement.freePhotos());
        assertEquals(new BigDecimal("0.00"), statement.amountDue());
        assertEquals(new BigDecimal("-0.0024"), statement.rounding());
        // Free and billable photos that do not add up to the scored ones.
        assertThrows(IllegalArgumentException.class, () -> new TenantStatement("t", "T", month, Plan.DEFAULT, 10, 0,
                5, 0, 4, price, new BigDecimal("0.0024"), new BigDecimal("0.00")));
        // An amount due that is not the amount rounded.
        assertThrows(IllegalArgumentException.class, () -> new TenantStatement("t", "T", month, Plan.DEFAULT, 10, 0,
                6, 0, 4, price, new BigDecimal("0.0024"), new BigDecimal("0.01")));
        // An amount that is not the billable photos at the unit price.
        assertThrows(IllegalArgumentException.class, () -> TenantStatement.of("t", "T", month, Plan.DEFAULT, 10, 0,
                4, 0, price, new BigDecimal("0.0025")));
        // More late photos than photos.
        assertThrows(IllegalArgumentException.class, () -> TenantStatement.of("t", "T", month, Plan.DEFAULT, 10, 11,
                4, 0, price, new BigDecimal("0.0024")));
        // Paid photos while free ones are left in the month.
        IllegalArgumentException paidWhileFree = assertThrows(IllegalArgumentException.class,
                () -> TenantStatement.of("t", "T", month, Plan.DEFAULT, 10, 0, 4, 1, price,
                        new BigDecimal("0.0024")));
        assertEquals("4 billable photos while 1 free photos are left at the end of 2026-10",
                paidWhileFree.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new BillingReport(YearMonth.of(2026, 11),
                java.util.List.of(statement)));
    }
}
