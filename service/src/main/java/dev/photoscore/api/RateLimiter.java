package dev.photoscore.api;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * A token bucket per key (a client id, or a client id and address): {@code perSecond} tokens a second on average,
 * bursts of up to {@code burst}.
 * In memory and per process: in Lambda each execution environment limits what it serves, the long-running services
 * (local, GPU) limit everything. Buckets of the least recently seen clients are forgotten past {@code maxClients}.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final Clock clock;
    private final Map<String, Bucket> buckets;

    private static final class Bucket {
        double tokens;
        long lastNanos;
    }

    RateLimiter(double perSecond, int burst, int maxClients, Clock clock) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and a burst of at least 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxClients;
            }
        };
    }

    /** Takes one request's token; empty when allowed, else the whole seconds to wait (for Retry-After). */
    synchronized OptionalLong acquire(String clientId) {
        Bucket bucket = refilled(clientId);
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return OptionalLong.empty();
        }
        return OptionalLong.of(secondsToNextToken(bucket));
    }

    /** Like {@link #acquire} but takes nothing: empty when a token is there, else the whole seconds until one is. */
    synchronized OptionalLong waitTime(String clientId) {
        Bucket bucket = refilled(clientId);
        return bucket.tokens >= 1 ? OptionalLong.empty() : OptionalLong.of(secondsToNextToken(bucket));
    }

    private Bucket refilled(String clientId) {
        long now = clock.millis() * 1_000_000L;
        Bucket bucket = buckets.computeIfAbsent(clientId, id -> {
            Bucket fresh = new Bucket();
            fresh.tokens = burst;
            fresh.lastNanos = now;
            return fresh;
        });
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond);
        bucket.lastNanos = now;
        return bucket;
    }

    private long secondsToNextToken(Bucket bucket) {
        return (long) Math.ceil((1 - bucket.tokens) / perSecond);
    }
}
