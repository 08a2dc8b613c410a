package dev.photoscore.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DecodeBudgetTest {

    private static final long MB = 1024 * 1024;

    @Test
    void admitsWhatFitsAndTakesItBackOnce() {
        DecodeBudget budget = DecodeBudget.of(100, Duration.ZERO);
        DecodeBudget.Lease first = budget.admit(60);
        DecodeBudget.Lease second = budget.admit(40);
        assertEquals(100, budget.inUse());

        first.close();
        first.close();

        assertEquals(40, budget.inUse());
        second.close();
        assertEquals(0, budget.inUse());
    }

    @Test
    void aPhotoLargerThanTheWholeBudgetIsRefusedAtOnceWithNoRetry() {
        DecodeBudget budget = DecodeBudget.of(100 * MB, Duration.ofMinutes(10));

        DecodeCapacityException e = assertThrows(DecodeCapacityException.class, () -> budget.admit(101 * MB));

        assertEquals(OptionalLong.empty(), e.retryAfterSeconds());
        assertTrue(e.getMessage().contains("101 MB"), e.getMessage());
        assertEquals(0, budget.inUse());
    }

    @Test
    void aPhotoThatDoesNotFitNowIsRefusedAfterTheWaitWithARetry() {
        DecodeBudget budget = DecodeBudget.of(100, Duration.ofMillis(20));
        try (DecodeBudget.Lease taken = budget.admit(70)) {
            DecodeCapacityException e = assertThrows(DecodeCapacityException.class, () -> budget.admit(31));
            assertEquals(OptionalLong.of(DecodeBudget.RETRY_AFTER_SECONDS), e.retryAfterSeconds());
            assertEquals(70, budget.inUse());
        }
    }

    @Test
    void aWaitingPhotoIsAdmittedWhenRoomIsGivenBack() throws Exception {
        DecodeBudget budget = DecodeBudget.of(100, Duration.ofMinutes(1));
        DecodeBudget.Lease taken = budget.admit(70);
        CompletableFuture<DecodeBudget.Lease> waiting = CompletableFuture.supplyAsync(() -> budget.admit(50));
        assertEquals(70, budget.inUse(), "50 more do not fit while 70 are taken");

        taken.close();

        try (DecodeBudget.Lease admitted = waiting.get(1, TimeUnit.MINUTES)) {
            assertEquals(50, admitted.bytes());
            assertEquals(50, budget.inUse());
        }
    }

    @Test
    void theSettingIsThePropertyElseTheEnvironmentElseThreeQuartersOfTheHeap() {
        assertEquals(512 * MB, DecodeBudget.configured("512", "64", 4096 * MB).capacity());
        assertEquals(64 * MB, DecodeBudget.configured(null, " 64 ", 4096 * MB).capacity());
        assertEquals(64 * MB, DecodeBudget.configured("", "64", 4096 * MB).capacity());
        assertEquals(3072 * MB, DecodeBudget.configured(null, null, 4096 * MB).capacity());
    }

    @Test
    void aBadSettingIsRefusedNamingIt() {
        for (String bad : new String[] {"0", "-5", "1.5", "lots", "99999999999999999999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DecodeBudget.configured(bad, null, 4096 * MB));
            assertTrue(e.getMessage().contains(DecodeBudget.SETTING), e.getMessage());
        }
    }
}
