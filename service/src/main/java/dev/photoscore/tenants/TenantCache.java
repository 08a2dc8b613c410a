package dev.photoscore.tenants;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently read tenants, so that a request does not cost a DynamoDB read: each entry lives for a fixed time
 * after it was read, and beyond the size bound the least recently used entry goes. A Lambda instance serves one
 * request at a time, the local service a few threads: one lock is plenty.
 */
final class TenantCache {

    private record Entry(StoredTenant tenant, Instant expiresAt) {
    }

    private final Duration timeToLive;
    private final Clock clock;
    private final Map<String, Entry> entries;

    TenantCache(Duration timeToLive, int maxEntries, Clock clock) {
        this.timeToLive = timeToLive;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** The tenant read for this client id less than the time to live ago, or null. */
    synchronized StoredTenant get(String clientId) {
        Entry entry = entries.get(clientId);
        if (entry == null) {
            return null;
        }
        if (!clock.instant().isBefore(entry.expiresAt())) {
            entries.remove(clientId);
            return null;
        }
        return entry.tenant();
    }

    synchronized void put(String clientId, StoredTenant tenant) {
        entries.put(clientId, new Entry(tenant, clock.instant().plus(timeToLive)));
    }

    synchronized void remove(String clientId) {
        entries.remove(clientId);
    }
}
