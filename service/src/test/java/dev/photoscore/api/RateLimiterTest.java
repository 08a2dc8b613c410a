package dev.photoscore.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-26T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void burstThenRefillAtTheRate() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(2, 3, 100, clock);
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("a").isEmpty(), "burst request " + i);
        }
        assertEquals(OptionalLong.of(1), limiter.acquire("a"), "the fourth waits for a token: half a second, rounded up");
        assertTrue(limiter.acquire("b").isEmpty(), "clients have their own buckets");
        clock.now = clock.now.plus(Duration.ofMillis(500));
        assertTrue(limiter.acquire("a").isEmpty(), "one token back after 0.5 s at 2/s");
        assertTrue(limiter.acquire("a").isPresent());
        clock.now = clock.now.plus(Duration.ofSeconds(60));
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.acquire("a").isEmpty(), "refilled to the burst, not beyond");
        }
        assertTrue(limiter.acquire("a").isPresent());
    }

    @Test
    void waitTimeLooksWithoutTaking() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(0.5, 2, 100, clock);
        assertTrue(limiter.waitTime("a").isEmpty());
        assertTrue(limiter.waitTime("a").isEmpty(), "looking took nothing");
        limiter.acquire("a");
        limiter.acquire("a");
        assertEquals(OptionalLong.of(2), limiter.waitTime("a"), "one token every 2 s");
        clock.now = clock.now.plus(Duration.ofSeconds(2));
        assertTrue(limiter.waitTime("a").isEmpty());
    }

    @Test
    void forgetsTheLeastRecentlySeenClients() {
        ManualClock clock = new ManualClock();
        RateLimiter limiter = new RateLimiter(1, 1, 2, clock);
        assertTrue(limiter.acquire("a").isEmpty());
        assertTrue(limiter.acquire("a").isPresent());
        limiter.acquire("b");
        limiter.acquire("c"); // "a" is forgotten: a fresh bucket
        assertTrue(limiter.acquire("a").isEmpty());
    }
}
