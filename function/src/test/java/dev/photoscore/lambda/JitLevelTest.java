package dev.photoscore.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitLevelTest {

    @Test
    void readsTheRunningJvmsLevel() {
        // Surefire starts the tests' JVM with HotSpot's defaults: every tier.
        assertEquals(4, JitLevel.current());
    }

    @Test
    void saysWhenC2IsMissingAndHowToLiftIt() {
        assertTrue(JitLevel.hasC2(4));
        assertEquals("C1 and C2 (-XX:TieredStopAtLevel=4)", JitLevel.describe(4));
        assertFalse(JitLevel.hasC2(1));
        String c1 = JitLevel.describe(1);
        assertTrue(c1.startsWith("stops at tier 1 (-XX:TieredStopAtLevel=1), without C2"), c1);
        assertTrue(c1.contains("JAVA_TOOL_OPTIONS=-XX:TieredStopAtLevel=4"), c1);
    }
}
