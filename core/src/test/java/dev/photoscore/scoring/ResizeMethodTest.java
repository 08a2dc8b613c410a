package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ResizeMethodTest {

    /** A 4x2 image whose pixel values are 0..7 in the blue channel, row-major. */
    private static BufferedImage ramp() {
        BufferedImage image = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 8; i++) {
            image.setRGB(i % 4, i / 4, i * 10);
        }
        return image;
    }

    @Test
    void nearestSamplesPixelCentresLikePil() {
        // 4 -> 2 columns: centres at 0.5 * 2 = 1 and 1.5 * 2 = 3; 2 -> 1 rows: 0.5 * 2 = row 1.
        assertArrayEquals(new int[] {50, 70}, ResizeMethod.NEAREST.resize(ramp(), 2, 1));
        // Enlarging repeats pixels: 4 -> 8 columns picks 0,0,1,1,2,2,3,3.
        int[] wide = ResizeMethod.NEAREST.resize(ramp(), 8, 2);
        assertArrayEquals(new int[] {0, 0, 10, 10, 20, 20, 30, 30}, java.util.Arrays.copyOf(wide, 8));
    }

    @Test
    void areaAveragesTheCoveredPixels() {
        // 4x2 -> 2x1: each output is the mean of a 2x2 block: (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45.
        assertArrayEquals(new int[] {25, 45}, ResizeMethod.AREA.resize(ramp(), 2, 1));
        // 4x2 -> 3x1: overlaps of 4/3 source pixels; first output = (0*1 + 10/3) / (4/3) over both rows.
        int[] thirds = ResizeMethod.AREA.resize(ramp(), 3, 1);
        assertEquals(Math.round((0 + 10 / 3.0 + 40 + 50 / 3.0) / (8 / 3.0)), thirds[0]);
    }

    @Test
    void areaEnlargesByTheFractionsCovered() {
        // 4 -> 6 columns: each output covers 2/3 of a source pixel; the second covers [2/3, 4/3): half 0, half 10.
        int[] wide = ResizeMethod.AREA.resize(ramp(), 6, 2);
        assertArrayEquals(new int[] {0, 5, 10, 20, 25, 30}, java.util.Arrays.copyOf(wide, 6));
        assertArrayEquals(new int[] {40, 45, 50, 60, 65, 70}, java.util.Arrays.copyOfRange(wide, 6, 12));
    }

    @Test
    void areaKeepsAUniformImageUniform() {
        BufferedImage grey = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                grey.setRGB(x, y, 0x336699);
            }
        }
        for (int p : ResizeMethod.AREA.resize(grey, 224, 224)) {
            assertEquals(0x336699, p);
        }
    }

    @Test
    void parsesNames() {
        assertEquals(ResizeMethod.AREA, ResizeMethod.parse(" Area "));
        assertEquals("unknown resize method 'cubic' (nearest or area)",
                assertThrows(IllegalArgumentException.class, () -> ResizeMethod.parse("cubic")).getMessage());
    }
}
