package dev.photoscore.http;

/**
 * The memory for request bodies held at once: each body takes its share before it is read (its declared length, or
 * as it arrives when it declares none) and gives it back when its request is answered. What does not fit is refused
 * at once (503 with {@code Retry-After}), so that many slow uploads together cannot take the heap. Thread-safe.
 */
final class BodyBudget {

    private final long capacity;
    /** Bytes taken and not given back; guarded by this. */
    private long inUse;

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** Takes {@code bytes} if they fit in what is left. */
    synchronized boolean take(long bytes) {
        if (bytes > capacity - inUse) {
            return false;
        }
        inUse += bytes;
        return true;
    }

    synchronized void giveBack(long bytes) {
        inUse -= bytes;
    }

    long capacity() {
        return capacity;
    }
}
