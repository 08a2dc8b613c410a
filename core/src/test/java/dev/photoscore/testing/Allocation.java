package dev.photoscore.testing;

import java.lang.management.ManagementFactory;

/**
 * How many bytes of heap a piece of code allocates on the calling thread: a cost bound a test can assert without
 * timing anything (HotSpot counts every thread's allocations; {@code com.sun.management} exposes the count).
 */
public final class Allocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** The bytes {@code work} allocated on this thread while it ran. */
    public static long bytes(Runnable work) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        work.run();
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}
