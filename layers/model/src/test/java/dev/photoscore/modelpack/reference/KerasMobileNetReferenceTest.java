package dev.photoscore.modelpack.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.testing.KerasWeightsFixture;
import dev.photoscore.modelpack.testing.KerasWeightsFixture.Layer;
import dev.photoscore.modelpack.testing.KerasWeightsFixture.Weight;
import dev.photoscore.modelpack.testing.SharedData;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasMobileNetReferenceTest {

    @TempDir
    Path temp;

    @Test
    void zeroConvolutionKernelsGiveClosedFormProbabilities() {
        KerasWeightsFixture fixture = small(21, "dense_1");
        for (Layer layer : fixture.layers()) {
            for (Weight weight : layer.weights()) {
                if (weight.name().endsWith("kernel:0") && !layer.name().equals("dense_1")) {
                    Arrays.fill(weight.values(), 0f);
                }
            }
        }
        KerasMobileNetReference reference = KerasMobileNetReference.load(fixture.write(temp.resolve("zero.h5")));

        // Every convolution outputs 0, so each of conv_pw_13's channels is relu6(BN(0)) everywhere, which the
        // average pool keeps; the head then sees those constants whatever the input.
        float[] gamma = fixture.weight("conv_pw_13_bn", "gamma:0").values();
        float[] beta = fixture.weight("conv_pw_13_bn", "beta:0").values();
        float[] mean = fixture.weight("conv_pw_13_bn", "moving_mean:0").values();
        float[] variance = fixture.weight("conv_pw_13_bn", "moving_variance:0").values();
        float[] kernel = fixture.weight("dense_1", "kernel:0").values();
        float[] bias = fixture.weight("dense_1", "bias:0").values();
        double[] logits = new double[10];
        for (int k = 0; k < 10; k++) {
            logits[k] = bias[k];
            for (int c = 0; c < gamma.length; c++) {
                double feature = Math.min(Math.max(beta[c] - gamma[c] * mean[c] / Math.sqrt(variance[c] + 1e-3), 0), 6);
                logits[k] += feature * kernel[c * 10 + k];
            }
        }
        double total = Arrays.stream(logits).map(Math::exp).sum();

        for (float[] input : new float[][] {randomInput(1), randomInput(2)}) {
            float[] probabilities = reference.predict(input);
            for (int k = 0; k < 10; k++) {
                assertEquals(Math.exp(logits[k]) / total, probabilities[k], 1e-6, "p" + (k + 1));
            }
        }
    }

    @Test
    void identityWeightsSampleTheInputOnTheKerasStrideGrid() {
        int channels = 8;
        int[] widths = new int[14];
        Arrays.fill(widths, channels);
        KerasWeightsFixture fixture = KerasWeightsFixture.builder().seed(5).widths(widths).build();
        // Kernels that only pass their centre tap through, and batch norms that change nothing (variance + 1e-3 = 1):
        // conv1's channel c copies input channel c % 3.
        for (Layer layer : fixture.layers()) {
            for (Weight weight : layer.weights()) {
                float[] values = weight.values();
                switch (weight.name()) {
                    case "kernel:0" -> {
                        if (layer.name().equals("conv1")) {
                            Arrays.fill(values, 0f);
                            for (int c = 0; c < channels; c++) {
                                values[((1 * 3 + 1) * 3 + c % 3) * channels + c] = 1f;
                            }
                        } else if (layer.name().startsWith("conv_pw_")) {
                            Arrays.fill(values, 0f);
                            for (int c = 0; c < channels; c++) {
                                values[c * channels + c] = 1f;
                            }
                        }
                    }
                    case "depthwise_kernel:0" -> {
                        Arrays.fill(values, 0f);
                        Arrays.fill(values, (1 * 3 + 1) * channels, (1 * 3 + 1) * channels + channels, 1f);
                    }
                    case "gamma:0" -> Arrays.fill(values, 1f);
                    case "beta:0", "moving_mean:0" -> Arrays.fill(values, 0f);
                    case "moving_variance:0" -> Arrays.fill(values, 1f - 1e-3f);
                    default -> { }
                }
            }
        }
        KerasMobileNetReference reference = KerasMobileNetReference.load(fixture.write(temp.resolve("identity.h5")));
        float[] input = randomInput(6);

        float[] features = reference.pooledFeatures(input);

        // A centre tap after ZeroPadding2D(((0, 1), (0, 1))) and a 'valid' stride 2 reads input position 2y + 1;
        // stride 1 'same' reads y. Five stride-2 stages (conv1, blocks 2, 4, 6, 12) turn the 7x7 output position y
        // into input position 32y + 31: rows and columns 31, 63, ..., 223.
        for (int c = 0; c < channels; c++) {
            double sum = 0;
            for (int y = 0; y < 7; y++) {
                for (int x = 0; x < 7; x++) {
                    sum += Math.min(Math.max(input[((32 * y + 31) * 224 + 32 * x + 31) * 3 + c % 3], 0), 6);
                }
            }
            assertEquals(sum / 49, features[c], 1e-5, "channel " + c);
        }
    }

    @Test
    void probabilitiesFormADistributionThatDependsOnTheInput() {
        KerasMobileNetReference reference = KerasMobileNetReference.load(
                small(4, "dense_1").write(temp.resolve("small.h5")));

        float[] first = reference.predict(randomInput(1));
        float[] second = reference.predict(randomInput(2));

        for (float[] probabilities : new float[][] {first, second}) {
            assertEquals(10, probabilities.length);
            double sum = 0;
            for (float p : probabilities) {
                assertTrue(p > 0 && p < 1, "probability " + p);
                sum += p;
            }
            assertEquals(1.0, sum, 1e-6);
            double score = KerasMobileNetReference.meanScore(probabilities);
            assertTrue(score > 1 && score < 10, "mean score " + score);
        }
        assertFalse(Arrays.equals(first, second));
    }

    @Test
    void isDeterministic() {
        Path file = small(8, "dense_1").write(temp.resolve("small.h5"));
        float[] input = randomInput(3);

        float[] once = KerasMobileNetReference.load(file).predict(input);
        KerasMobileNetReference reloaded = KerasMobileNetReference.load(file);

        assertArrayEquals(once, reloaded.predict(input));
        assertArrayEquals(once, reloaded.predict(input));
    }

    @Test
    void findsTheHeadByShapeAndTheWidthsByKernels() {
        float[] input = randomInput(4);
        KerasMobileNetReference oldKeras = KerasMobileNetReference.load(
                small(9, "dense_1").write(temp.resolve("dense_1.h5")));
        KerasMobileNetReference newKeras = KerasMobileNetReference.load(
                small(9, "dense").write(temp.resolve("dense.h5")));

        assertEquals("dense_1", oldKeras.headLayerName());
        assertEquals("dense", newKeras.headLayerName());
        assertEquals(KerasWeightsFixture.SMALL_WIDTHS, newKeras.widths());
        assertArrayEquals(oldKeras.predict(input), newKeras.predict(input));
    }

    @Test
    void meanScoreWeighsScoresOneToTen() {
        float[] certainFive = new float[10];
        certainFive[4] = 1f;
        float[] uniform = new float[10];
        Arrays.fill(uniform, 0.1f);

        assertEquals(5.0, KerasMobileNetReference.meanScore(certainFive));
        assertEquals(5.5, KerasMobileNetReference.meanScore(uniform), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> KerasMobileNetReference.meanScore(new float[9]));
    }

    @Test
    void normalisedInputIsChannelsLastRgbInMinusOneToOne() {
        BufferedImage image = new BufferedImage(224, 224, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff007f); // red 255, green 0, blue 127
        image.setRGB(5, 2, 0x204060);

        float[] input = KerasMobileNetReference.normalisedInput(image);

        assertEquals(224 * 224 * 3, input.length);
        assertArrayEquals(new float[] {1f, -1f, 127 / 127.5f - 1f}, Arrays.copyOfRange(input, 0, 3));
        int pixel = (2 * 224 + 5) * 3;
        assertArrayEquals(new float[] {0x20 / 127.5f - 1f, 0x40 / 127.5f - 1f, 0x60 / 127.5f - 1f},
                Arrays.copyOfRange(input, pixel, pixel + 3));
        assertEquals(-1f, input[input.length - 1]);
        assertThrows(IllegalArgumentException.class, () -> KerasMobileNetReference.normalisedInput(
                new BufferedImage(224, 223, BufferedImage.TYPE_INT_RGB)));
    }

    @Test
    void rejectsWrongInputsAndFiles() {
        KerasMobileNetReference reference = KerasMobileNetReference.load(
                small(1, "dense_1").write(temp.resolve("small.h5")));
        Path notMobileNet = temp.resolve("other.h5");
        try (WritableHdfFile hdf = HdfFile.write(notMobileNet)) {
            hdf.putAttribute("layer_names", new String[] {"input_1"});
            hdf.putGroup("input_1");
        }

        assertThrows(IllegalArgumentException.class, () -> reference.predict(new float[224 * 224]));
        assertThrows(IllegalArgumentException.class, () -> KerasMobileNetReference.load(temp.resolve("absent.h5")));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KerasMobileNetReference.load(notMobileNet));
        assertTrue(error.getMessage().contains("no layer conv1"), error.getMessage());
    }

    /** The one full-width run: the published layout with random weights, when the shared data is here. */
    @Test
    void runsOnTheLayoutSpecimen() {
        Path specimen = SharedData.requireFile("models/layout_specimen_random.h5");
        KerasMobileNetReference reference = KerasMobileNetReference.load(specimen);
        assertEquals(KerasWeightsFixture.MOBILENET_WIDTHS, reference.widths());
        assertEquals("dense_1", reference.headLayerName());

        long start = System.nanoTime();
        float[] probabilities = reference.predict(randomInput(5));
        long millis = (System.nanoTime() - start) / 1_000_000;

        double sum = 0;
        for (float p : probabilities) {
            assertTrue(p > 0 && p < 1, "probability " + p);
            sum += p;
        }
        assertEquals(1.0, sum, 1e-6);
        System.out.printf("reference on the specimen: mean score %.4f, forward pass %d ms%n",
                KerasMobileNetReference.meanScore(probabilities), millis);
    }

    private static KerasWeightsFixture small(long seed, String headName) {
        return KerasWeightsFixture.builder().seed(seed).widths(KerasWeightsFixture.SMALL_WIDTHS).headName(headName)
                .build();
    }

    /** A normalised input: uniform in [-1, 1]. */
    private static float[] randomInput(long seed) {
        Random random = new Random(seed);
        float[] input = new float[224 * 224 * 3];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextFloat() * 2 - 1;
        }
        return input;
    }
}
