package dev.photoscore.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class AreaAxisTest {

    /**
     * Each target pixel as its definition computes it, source pixel by source pixel: {@code (w_first first +
     * (inner + w_last last)) norm}, the inner sum from left to right, the last's term 0 where it is the first.
     */
    private static float[] byDefinition(AreaAxis axis, float[] source) {
        float[] target = new float[axis.targetSize()];
        for (int t = 0; t < target.length; t++) {
            int a = axis.first(t);
            int z = axis.last(t);
            float inner = 0;
            for (int s = a + 1; s < z; s++) {
                inner += source[s];
            }
            float lastTerm = a == z ? 0f : axis.weight(t, z) * source[z];
            target[t] = (axis.weight(t, a) * source[a] + (inner + lastTerm)) * axis.norm();
        }
        return target;
    }

    @Test
    void reducingGivesTheDefinitionsFloatsWhereBoundariesFallOnAndBetweenPixels() {
        // Whole-number steps and others whose boundaries fall on pixel edges now and then (600 -> 7 does not, 600 ->
        // 240 every other pixel: 2.5) reduce a last pixel wholly inside its target pixel into the inner sum; fractional
        // values make the order of the additions show.
        Random random = new Random(11);
        int[][] sizes = {{600, 200}, {600, 300}, {600, 240}, {600, 7}, {1500, 577}, {1500, 418}, {5, 7}, {7, 3},
            {3, 3}, {1, 1}, {1, 4}, {4, 1}, {1000, 999}, {999, 1000}, {300, 2}};
        for (int[] size : sizes) {
            AreaAxis axis = new AreaAxis(size[0], size[1]);
            float[] source = new float[size[0]];
            for (int s = 0; s < source.length; s++) {
                source[s] = random.nextFloat() * 255;
            }
            float[] reduced = new float[size[1]];
            axis.reduce(source, reduced, new float[3][size[1]]);
            assertArrayEquals(byDefinition(axis, source), reduced, size[0] + " -> " + size[1]);
        }
    }

    @Test
    void aSourcePixelLiesInAtMostTwoTargetPixelsWhenReducing() {
        assertEquals(2, new AreaAxis(1500, 577).mostCovering());
        assertEquals(1, new AreaAxis(600, 300).mostCovering());
        assertEquals(1, new AreaAxis(7, 7).mostCovering());
        assertEquals(3, new AreaAxis(5, 11).mostCovering());
    }
}
