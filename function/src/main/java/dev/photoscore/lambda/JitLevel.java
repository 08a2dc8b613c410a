package dev.photoscore.lambda;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/**
 * Which just-in-time compilers the function's JVM runs, logged when a function starts: the java21 runtime stops
 * tiered compilation at C1 unless {@code JAVA_TOOL_OPTIONS} lifts it, as template.yaml does for the functions that
 * score, and the log is where an operator sees that it took effect.
 */
final class JitLevel {

    /** The highest tier: C2. */
    private static final int C2 = 4;

    private JitLevel() {
    }

    /** This JVM's {@code -XX:TieredStopAtLevel}. */
    static int current() {
        return Integer.parseInt(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("TieredStopAtLevel").getValue());
    }

    static boolean hasC2(int level) {
        return level >= C2;
    }

    /** A log line's words for a JVM that stops tiered compilation at {@code level}. */
    static String describe(int level) {
        if (hasC2(level)) {
            return "C1 and C2 (-XX:TieredStopAtLevel=" + level + ")";
        }
        return "stops at tier " + level + " (-XX:TieredStopAtLevel=" + level + "), without C2: the decoder, the area"
                + " averages and the flags run about 1.3x slower per photo; JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=4"
                + " (as template.yaml sets it) lifts the runtime's default";
    }
}
