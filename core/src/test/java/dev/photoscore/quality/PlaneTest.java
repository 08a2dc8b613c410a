package dev.photoscore.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PlaneTest {

    /** Luma-like values: whole and fractional grey levels, zeros and 255s, so that zero sums and ties occur. */
    private static Plane plane(int width, int height, long seed) {
        Random random = new Random(seed);
        float[] data = new float[width * height];
        for (int i = 0; i < data.length; i++) {
            int kind = random.nextInt(4);
            data[i] = kind == 0 ? 0 : kind == 1 ? 255 : kind == 2 ? random.nextInt(256) : random.nextFloat() * 255;
        }
        return new Plane(width, height, data);
    }

    private static int[] bits(Plane plane) {
        int[] bits = new int[plane.data.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(plane.data[i]);
        }
        return bits;
    }

    @Test
    void laplacianAndSobelAreTheGeneralFilterBitForBit() {
        for (int[] size : new int[][] {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 3}, {32, 17}, {418, 313}}) {
            Plane plane = plane(size[0], size[1], size[0] * 1000L + size[1]);
            assertArrayEquals(bits(plane.filter3x3(Plane.LAPLACIAN)), bits(plane.laplacian()));
            Plane[] sobel = plane.sobel();
            assertArrayEquals(bits(plane.filter3x3(Plane.SOBEL_X)), bits(sobel[0]));
            assertArrayEquals(bits(plane.filter3x3(Plane.SOBEL_Y)), bits(sobel[1]));
        }
    }

    @Test
    void squareSumsAddEachSquareRowByRow() {
        Plane plane = plane(53, 40, 7);
        double[] sums = plane.squareSums(1, 3, 7, 9, 5);
        Plane signed = plane(53, 40, 7);
        for (int i = 0; i < signed.data.length; i++) {
            signed.data[i] -= 128;
        }
        double[] absolute = signed.squareAbsoluteSums(1, 3, 7, 9, 5);
        for (int k = 0; k < 5; k++) {
            double sum = 0;
            double absoluteSum = 0;
            for (int y = 3; y < 10; y++) {
                for (int x = 1 + 9 * k; x < 8 + 9 * k; x++) {
                    sum += plane.at(x, y);
                    absoluteSum += Math.abs(signed.at(x, y));
                }
            }
            assertEquals(Double.doubleToRawLongBits(sum), Double.doubleToRawLongBits(sums[k]));
            assertEquals(Double.doubleToRawLongBits(absoluteSum), Double.doubleToRawLongBits(absolute[k]));
        }
        assertEquals(0, plane.squareSums(0, 0, 4, 4, 0).length);
    }

    @Test
    void squaresOutsideThePlaneAreRefused() {
        Plane plane = plane(20, 20, 1);
        assertThrows(IllegalArgumentException.class, () -> plane.squareSums(1, 1, 8, 8, 3));
        assertThrows(IllegalArgumentException.class, () -> plane.squareSums(0, 13, 8, 8, 2));
        assertThrows(IllegalArgumentException.class, () -> plane.squareAbsoluteSums(-1, 0, 8, 8, 1));
        assertThrows(IllegalArgumentException.class, () -> plane.squareSums(0, 0, 8, 4, 2));
    }
}
