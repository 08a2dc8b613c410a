package dev.photoscore.modelpack.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.photoscore.modelpack.convert.TfliteOperator;
import dev.photoscore.modelpack.convert.TfliteTensor;
import org.junit.jupiter.api.Test;

/**
 * The fixed-point steps of the integer reference against values worked out by hand from gemmlowp's and TensorFlow
 * Lite's definitions.
 */
class TfliteIntegerReferenceTest {

    @Test
    void roundingDivisionByAPowerOfTwoRoundsHalvesAwayFromZero() {
        assertEquals(3, TfliteIntegerReference.roundingDivideByPowerOfTwo(5, 1)); // 2.5
        assertEquals(-3, TfliteIntegerReference.roundingDivideByPowerOfTwo(-5, 1)); // -2.5
        assertEquals(-2, TfliteIntegerReference.roundingDivideByPowerOfTwo(-6, 2)); // -1.5
        assertEquals(1, TfliteIntegerReference.roundingDivideByPowerOfTwo(5, 2)); // 1.25
        assertEquals(7, TfliteIntegerReference.roundingDivideByPowerOfTwo(7, 0));
    }

    @Test
    void multipliersAreQ31WithAPowerOfTwo() {
        // 0.75 = 0.75 * 2^0; 0.018 = 0.576 * 2^-5; 3 = 0.75 * 2^2.
        assertArrayEquals(new long[] {1610612736L, 0}, TfliteIntegerReference.quantizeMultiplier(0.75));
        assertArrayEquals(new long[] {Math.round(0.576 * (1L << 31)), -5},
                TfliteIntegerReference.quantizeMultiplier(0.018));
        assertArrayEquals(new long[] {1610612736L, 2}, TfliteIntegerReference.quantizeMultiplier(3));
        assertArrayEquals(new long[] {0, 0}, TfliteIntegerReference.quantizeMultiplier(0));
    }

    @Test
    void anAccumulatorIsScaledByTheRealMultiplierWithRounding() {
        long[] m = TfliteIntegerReference.quantizeMultiplier(0.75);
        assertEquals(750, TfliteIntegerReference.multiplyByQuantizedMultiplier(1000, (int) m[0], (int) m[1]));
        assertEquals(-750, TfliteIntegerReference.multiplyByQuantizedMultiplier(-1000, (int) m[0], (int) m[1]));
        long[] small = TfliteIntegerReference.quantizeMultiplier(0.018);
        // 12345 * 0.018 = 222.21
        assertEquals(222, TfliteIntegerReference.multiplyByQuantizedMultiplier(12345, (int) small[0], (int) small[1]));
        long[] large = TfliteIntegerReference.quantizeMultiplier(3);
        assertEquals(-300, TfliteIntegerReference.multiplyByQuantizedMultiplier(-100, (int) large[0], (int) large[1]));
        assertEquals(Integer.MAX_VALUE,
                TfliteIntegerReference.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
    }

    @Test
    void fusedActivationsClampInTheOutputsQuantisedDomain() {
        assertArrayEquals(new int[] {0, 255}, TfliteIntegerReference.activationRange(
                TfliteOperator.Activation.RELU6, output(6f / 255, 0)));
        // 0 -> 10, 6 / 0.05 = 120 -> 130; ReLU alone reaches the top of uint8.
        assertArrayEquals(new int[] {10, 130}, TfliteIntegerReference.activationRange(
                TfliteOperator.Activation.RELU6, output(0.05f, 10)));
        assertArrayEquals(new int[] {10, 255}, TfliteIntegerReference.activationRange(
                TfliteOperator.Activation.RELU, output(0.05f, 10)));
        assertArrayEquals(new int[] {0, 255}, TfliteIntegerReference.activationRange(
                TfliteOperator.Activation.NONE, output(0.05f, 10)));
    }

    private static TfliteTensor output(float scale, long zeroPoint) {
        return new TfliteTensor(0, "out", new int[] {1, 1, 1, 1}, TfliteTensor.Type.UINT8, null,
                new TfliteTensor.Quantization(new float[] {scale}, new long[] {zeroPoint}, 0));
    }
}
