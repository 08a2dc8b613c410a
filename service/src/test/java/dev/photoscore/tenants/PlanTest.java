package dev.photoscore.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PlanTest {

    @Test
    void theDefaultPlanIs500FreeThen60CentsPerThousand() {
        assertEquals(500, Plan.DEFAULT.freeAllowance());
        assertEquals(0, new BigDecimal("0.60").compareTo(Plan.DEFAULT.pricePerThousand()));
        assertEquals(new BigDecimal("0.0006"), Plan.DEFAULT.pricePerPhoto());
        assertEquals(OptionalLong.empty(), Plan.DEFAULT.monthlyCap());
    }

    @Test
    void pricesAreExactDecimalsWhateverTheirScale() {
        assertEquals(new Plan(1, new BigDecimal("0.6"), OptionalLong.empty()),
                new Plan(1, new BigDecimal("0.600"), OptionalLong.empty()));
        assertEquals(new BigDecimal("0.0015"),
                new Plan(0, new BigDecimal("1.5"), OptionalLong.empty()).pricePerPhoto());
    }

    @Test
    void nonsenseIsRefused() {
        BigDecimal price = BigDecimal.ONE;
        assertThrows(IllegalArgumentException.class, () -> new Plan(-1, price, OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Plan(0, price.negate(), OptionalLong.empty()));
        assertThrows(IllegalArgumentException.class, () -> new Plan(0, price, OptionalLong.of(0)));
    }
}
