package dev.photoscore.modelpack.reference;

import static dev.photoscore.modelpack.reference.KerasLayers.Padding.SAME;
import static dev.photoscore.modelpack.reference.KerasLayers.Padding.VALID;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Each layer against values worked out by hand. */
class KerasLayersTest {

    /** 3x3, one channel, values 1..9 row by row. */
    private static final FeatureMap ONE_TO_NINE = new FeatureMap(3, 3, 1, new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9});

    @Test
    void samePaddingSumsTheNeighbourhoodInsideTheImage() {
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);

        FeatureMap out = KerasLayers.conv2d(ONE_TO_NINE, ones, 3, 1, 1, SAME);

        assertEquals(3, out.height());
        assertEquals(3, out.width());
        assertEquals(1 + 2 + 4 + 5, out.get(0, 0, 0));
        assertEquals(1 + 2 + 3 + 4 + 5 + 6, out.get(0, 1, 0));
        assertEquals(45, out.get(1, 1, 0));
        assertEquals(5 + 6 + 8 + 9, out.get(2, 2, 0));
    }

    @Test
    void convolutionIsCrossCorrelationLikeKeras() {
        float[] topLeftTap = new float[9];
        topLeftTap[0] = 1f; // kernel[ky=0][kx=0]: reads the input one up and one left of the output position

        FeatureMap out = KerasLayers.conv2d(ONE_TO_NINE, topLeftTap, 3, 1, 1, SAME);

        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 4, 5}, out.values());
    }

    @Test
    void kerasStrideTwoPadsOnlyBottomAndRight() {
        float[] sixteen = new float[16];
        for (int i = 0; i < 16; i++) {
            sixteen[i] = i + 1;
        }
        FeatureMap in = new FeatureMap(4, 4, 1, sixteen);
        float[] ones = new float[9];
        Arrays.fill(ones, 1f);

        FeatureMap padded = KerasLayers.zeroPadding(in, 0, 1, 0, 1);
        FeatureMap out = KerasLayers.conv2d(padded, ones, 3, 1, 2, VALID);

        assertEquals(5, padded.height());
        assertEquals(0f, padded.get(4, 4, 0));
        assertEquals(16f, padded.get(3, 3, 0));
        // Windows over rows/columns 0-2 and 2-4 of the padded map; row and column 4 are zeros.
        assertArrayEquals(new float[] {
                1 + 2 + 3 + 5 + 6 + 7 + 9 + 10 + 11, 3 + 4 + 7 + 8 + 11 + 12,
                9 + 10 + 11 + 13 + 14 + 15, 11 + 12 + 15 + 16}, out.values());
        // TensorFlow's 'same' pads an even input the same way for stride 2.
        assertArrayEquals(out.values(), KerasLayers.conv2d(in, ones, 3, 1, 2, SAME).values());
    }

    @Test
    void conv1BorderPixelsSeeTheKerasPadding() {
        // conv1's geometry on a constant input of ones: the top-left output sees all 9 taps; the bottom-right one
        // sees rows/columns 222 and 223 plus the padding zeros, so only taps ky, kx in {0, 1}.
        float[] kernel = new float[3 * 3 * 3 * 4];
        Random random = new Random(1);
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) random.nextGaussian();
        }
        float[] ones = new float[224 * 224 * 3];
        Arrays.fill(ones, 1f);

        FeatureMap out = KerasLayers.conv2d(KerasLayers.zeroPadding(new FeatureMap(224, 224, 3, ones), 0, 1, 0, 1),
                kernel, 3, 4, 2, VALID);

        assertEquals(112, out.height());
        assertEquals(112, out.width());
        for (int co = 0; co < 4; co++) {
            double all = 0;
            double topLeftTaps = 0;
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    for (int ci = 0; ci < 3; ci++) {
                        float tap = kernel[((ky * 3 + kx) * 3 + ci) * 4 + co];
                        all += tap;
                        if (ky < 2 && kx < 2) {
                            topLeftTaps += tap;
                        }
                    }
                }
            }
            assertEquals(all, out.get(0, 0, co), 1e-5);
            assertEquals(all, out.get(55, 55, co), 1e-5);
            assertEquals(topLeftTaps, out.get(111, 111, co), 1e-5);
        }
    }

    @Test
    void pointwiseKernelIsInputsByOutputs() {
        FeatureMap pixel = new FeatureMap(1, 1, 2, new float[] {2, 3});
        float[] kernel = {1, 2, 3, 4, 5, 6}; // [1, 1, 2, 3]: row ci=0 is 1 2 3, row ci=1 is 4 5 6

        FeatureMap out = KerasLayers.conv2d(pixel, kernel, 1, 3, 1, SAME);

        assertArrayEquals(new float[] {2 * 1 + 3 * 4, 2 * 2 + 3 * 5, 2 * 3 + 3 * 6}, out.values());
    }

    @Test
    void depthwiseConvolvesEachChannelWithItsOwnSlice() {
        float[] values = new float[18];
        for (int i = 0; i < 9; i++) {
            values[2 * i] = i + 1; // channel 0: 1..9
            values[2 * i + 1] = 10 * (i + 1); // channel 1: 10..90
        }
        float[] kernel = new float[3 * 3 * 2]; // [3, 3, 2, 1]: tap (ky, kx) of channel c at (ky * 3 + kx) * 2 + c
        for (int tap = 0; tap < 9; tap++) {
            kernel[2 * tap] = 1f;
        }
        kernel[(3 + 1) * 2 + 1] = 2f; // channel 1: centre tap only

        FeatureMap out = KerasLayers.depthwiseConv2d(new FeatureMap(3, 3, 2, values), kernel, 3, 1, SAME);

        assertEquals(45, out.get(1, 1, 0));
        assertEquals(2 * 50, out.get(1, 1, 1));
        assertEquals(1 + 2 + 4 + 5, out.get(0, 0, 0));
        assertEquals(2 * 10, out.get(0, 0, 1));
    }

    @Test
    void batchNormalizationUsesMovingStatisticsAndEpsilon() {
        FeatureMap in = new FeatureMap(1, 2, 2, new float[] {3, 3, 1, -1});
        // Variances chosen so that variance + 1e-3 is 1 and 4.
        float[] gamma = {2f, 1f};
        float[] beta = {0.5f, 0f};
        float[] mean = {1f, 0f};
        float[] variance = {0.999f, 3.999f};

        FeatureMap out = KerasLayers.batchNormalization(in, gamma, beta, mean, variance, 1e-3);

        assertArrayEquals(new float[] {2 * (3 - 1) / 1f + 0.5f, 3 / 2f, 0.5f, -1 / 2f}, out.values(), 1e-6f);
    }

    @Test
    void relu6ClipsToZeroAndSix() {
        FeatureMap out = KerasLayers.relu6(new FeatureMap(1, 1, 5, new float[] {-1, 0, 3.5f, 6, 7}));

        assertArrayEquals(new float[] {0, 0, 3.5f, 6, 6}, out.values());
    }

    @Test
    void globalAveragePoolingAveragesEachChannel() {
        FeatureMap in = new FeatureMap(2, 2, 2, new float[] {1, 10, 2, 20, 3, 30, 6, 40});

        assertArrayEquals(new float[] {3, 25}, KerasLayers.globalAveragePooling(in));
    }

    @Test
    void denseKernelIsInputsByUnits() {
        float[] kernel = {1, 0, 2, 0, 1, 3}; // [2, 3]

        assertArrayEquals(new float[] {1 + 0.5f, 2, 2 + 6}, KerasLayers.dense(new float[] {1, 2}, kernel,
                new float[] {0.5f, 0, 0}));
    }

    @Test
    void softmaxNormalisesExponentialsWithoutOverflow() {
        assertArrayEquals(new float[] {0.25f, 0.75f}, KerasLayers.softmax(new float[] {0, (float) Math.log(3)}),
                1e-7f);
        assertArrayEquals(new float[] {0.5f, 0.5f}, KerasLayers.softmax(new float[] {1000, 1000}));
    }

    @Test
    void rejectsKernelsOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> KerasLayers.conv2d(ONE_TO_NINE, new float[8], 3, 1, 1,
                SAME));
        assertThrows(IllegalArgumentException.class, () -> KerasLayers.depthwiseConv2d(ONE_TO_NINE, new float[3], 3,
                1, SAME));
        assertThrows(IllegalArgumentException.class, () -> KerasLayers.conv2d(ONE_TO_NINE, new float[16], 4, 1, 1,
                VALID));
    }
}
