package dev.photoscore.image;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A memory budget for photos in flight: a photo is decoded only once its decoded size, known from its header before
 * any pixel is decoded ({@link PhotoDecoder#footprint}), fits in what the photos already admitted leave. Otherwise it
 * waits a little for them to finish, then is refused with {@link DecodeCapacityException} (503 with
 * {@code Retry-After}); a photo larger than the whole budget is refused at once. So concurrent large photos queue
 * instead of taking the heap together, and what the heap cannot hold is a 503, never an out-of-memory error.
 *
 * <p>The budget is {@value #SETTING} (a system property, else an environment variable, as the log level), in MB;
 * by default three quarters of the maximum heap: the rest is for request bodies, the clients, the caches and the
 * model's heap side ({@link #configured()}). Thread-safe.
 */
public final class DecodeBudget {

    /** The setting's name, as a system property or an environment variable. */
    public static final String SETTING = "PHOTOSCORE_DECODE_BUDGET_MB";
    /** How long a photo may wait for room before it is refused. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);
    /** What a refused client is told to wait: about the time a large photo takes to score. */
    static final long RETRY_AFTER_SECONDS = 2;
    private static final long MB = 1024 * 1024;

    private final long capacity;
    private final Duration maxWait;
    /** Bytes of the photos admitted and not yet released; guarded by this. */
    private long inUse;

    private DecodeBudget(long capacity, Duration maxWait) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a decode budget needs at least 1 byte, was " + capacity);
        }
        this.capacity = capacity;
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** A budget of {@code bytes}, a photo waiting at most {@code maxWait} for room. */
    public static DecodeBudget of(long bytes, Duration maxWait) {
        return new DecodeBudget(bytes, maxWait);
    }

    /** No limit: every photo is admitted at once (offline tools scoring one photo at a time). */
    public static DecodeBudget unlimited() {
        return new DecodeBudget(Long.MAX_VALUE, Duration.ZERO);
    }

    /** The budget the system property, else the environment variable, sets; else three quarters of the heap. */
    public static DecodeBudget configured() {
        return configured(System.getProperty(SETTING), System.getenv(SETTING), Runtime.getRuntime().maxMemory());
    }

    static DecodeBudget configured(String property, String environment, long maxHeap) {
        String setting = property != null && !property.isBlank() ? property
                : environment != null && !environment.isBlank() ? environment : null;
        if (setting == null) {
            return new DecodeBudget(maxHeap / 4 * 3, DEFAULT_WAIT);
        }
        long megabytes;
        try {
            megabytes = Long.parseLong(setting.trim());
        } catch (NumberFormatException e) {
            megabytes = 0;
        }
        if (megabytes < 1 || megabytes > Long.MAX_VALUE / MB) {
            throw new IllegalArgumentException("the decode budget " + SETTING
                    + " must be a whole number of megabytes, at least 1; was \"" + setting + "\"");
        }
        return new DecodeBudget(megabytes * MB, DEFAULT_WAIT);
    }

    /** The whole budget in bytes. */
    public long capacity() {
        return capacity;
    }

    /** Bytes admitted now. */
    public synchronized long inUse() {
        return inUse;
    }

    /**
     * Admits a photo that needs {@code bytes}, waiting up to the budget's wait for room; the photo's pixels may be
     * held until the lease is closed.
     *
     * @throws DecodeCapacityException no room came in time (retry later), or the photo needs more than the budget
     */
    public Lease admit(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("a photo needs at least 0 bytes, was " + bytes);
        }
        if (bytes > capacity) {
            throw new DecodeCapacityException("the photo needs " + bytes / MB + " MB decoded, more than this service's"
                    + " whole budget for photos in flight (" + capacity / MB + " MB): it cannot be scored here",
                    OptionalLong.empty(), null);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        synchronized (this) {
            while (capacity - inUse < bytes) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new DecodeCapacityException("the service is busy decoding other photos (" + inUse / MB
                            + " of " + capacity / MB + " MB in use, this one needs " + bytes / MB
                            + " MB); retry shortly", OptionalLong.of(RETRY_AFTER_SECONDS), null);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DecodeCapacityException("interrupted while waiting for room to decode",
                            OptionalLong.of(RETRY_AFTER_SECONDS), e);
                }
            }
            inUse += bytes;
        }
        return new Lease(bytes);
    }

    private synchronized void release(long bytes) {
        inUse -= bytes;
        notifyAll();
    }

    @Override
    public String toString() {
        return capacity == Long.MAX_VALUE ? "unlimited" : capacity / MB + " MB";
    }

    /** A photo's share of the budget, given back once when closed. */
    public final class Lease implements AutoCloseable {

        private final long bytes;
        private boolean closed;

        private Lease(long bytes) {
            this.bytes = bytes;
        }

        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            synchronized (DecodeBudget.this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            release(bytes);
        }
    }
}
