package dev.photoscore.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's memory: the heap pools' peaks (reset on demand) and resident memory from /proc/self/status. */
final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Starts the heap pools' peaks afresh from what is in use now. */
    static void resetHeapPeak() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    /**
     * The sum of the heap pools' peak use since the last reset, in MiB: an upper bound of the heap in use at any one
     * time (the pools peak at different moments), garbage not yet collected included.
     */
    static double heapPeakMib() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes / (1024.0 * 1024);
    }

    /** Peak resident memory of the process (VmHWM), in MiB. */
    static double residentPeakMib() {
        return status("VmHWM:");
    }

    /** Resident memory of the process now (VmRSS), in MiB. */
    static double residentMib() {
        return status("VmRSS:");
    }

    private static double status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim()) / 1024.0;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no " + field + " in /proc/self/status (Linux only)");
    }
}
