package dev.photoscore.modelpack.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.testing.KerasWeightsFixture.Layer;
import dev.photoscore.modelpack.testing.KerasWeightsFixture.Weight;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasWeightsFixtureTest {

    @TempDir
    Path temp;

    @Test
    void writtenFileReadsBackWithLayoutAndValues() {
        KerasWeightsFixture fixture = KerasWeightsFixture.builder()
                .seed(3).widths(KerasWeightsFixture.SMALL_WIDTHS).build();
        Path file = fixture.write(temp.resolve("small.h5"));

        try (HdfFile hdf = new HdfFile(file)) {
            assertEquals(Set.of("layer_names", "backend", "keras_version"), hdf.getAttributes().keySet(),
                    "root attributes, and no _jHDF stamp");
            assertEquals(fixture.layerNames(), List.of((String[]) hdf.getAttribute("layer_names").getData()));
            assertEquals("tensorflow", hdf.getAttribute("backend").getData());
            assertEquals("2.2.4", hdf.getAttribute("keras_version").getData());
            assertEquals(fixture.layers().size(), hdf.getChildren().size());
            for (Layer layer : fixture.layers()) {
                Node group = hdf.getChild(layer.name());
                assertTrue(group.isGroup(), layer.name());
                assertEquals(layer.weightNames(), weightNames(group), layer.name());
                for (Weight weight : layer.weights()) {
                    Dataset dataset = hdf.getDatasetByPath(weight.datasetPath());
                    assertArrayEquals(weight.shape(), dataset.getDimensions(), weight.datasetPath());
                    assertArrayEquals(weight.values(), (float[]) dataset.getDataFlat(), weight.datasetPath());
                }
            }
        }
    }

    @Test
    void listsMobileNetLayersInKerasOrder() {
        KerasWeightsFixture fixture = KerasWeightsFixture.builder().build();
        List<String> names = fixture.layerNames();

        assertEquals(90, names.size());
        assertEquals(List.of("input_1", "conv1_pad", "conv1", "conv1_bn", "conv1_relu", "conv_dw_1"),
                names.subList(0, 6));
        assertEquals(List.of("conv_pw_1_relu", "conv_pad_2", "conv_dw_2"), names.subList(10, 13));
        assertEquals(List.of("conv_pw_13_relu", "global_average_pooling2d_1", "dropout_1", "dense_1"),
                names.subList(86, 90));
        assertEquals(List.of("conv_pad_2", "conv_pad_4", "conv_pad_6", "conv_pad_12"),
                names.stream().filter(name -> name.startsWith("conv_pad_")).toList());
        assertEquals(55, fixture.layers().stream().filter(layer -> !layer.weights().isEmpty()).count());
        assertEquals(137, fixture.layers().stream().mapToInt(layer -> layer.weights().size()).sum());
        assertEquals(3_239_114, fixture.layers().stream().flatMap(layer -> layer.weights().stream())
                .mapToInt(weight -> weight.values().length).sum(), "float32 values in idealo's files");
        assertEquals(List.of("conv_pw_5_bn/gamma:0", "conv_pw_5_bn/beta:0", "conv_pw_5_bn/moving_mean:0",
                "conv_pw_5_bn/moving_variance:0"), layer(fixture, "conv_pw_5_bn").weightNames());
        assertArrayEquals(new int[] {3, 3, 256, 1}, fixture.weight("conv_dw_6", "depthwise_kernel:0").shape());
        assertArrayEquals(new int[] {1, 1, 256, 512}, fixture.weight("conv_pw_6", "kernel:0").shape());
        assertArrayEquals(new int[] {1024, 10}, fixture.weight("dense_1", "kernel:0").shape());
    }

    @Test
    void fullWidthFileHasTheSpecimensStructure() {
        Path specimen = SharedData.requireFile("models/layout_specimen_random.h5");
        Path written = KerasWeightsFixture.builder().seed(11).write(temp.resolve("full.h5"));

        try (HdfFile expected = new HdfFile(specimen); HdfFile actual = new HdfFile(written)) {
            List<String> layerNames = List.of((String[]) expected.getAttribute("layer_names").getData());
            assertEquals(layerNames, List.of((String[]) actual.getAttribute("layer_names").getData()));
            assertEquals(expected.getAttributes().keySet(), actual.getAttributes().keySet());
            assertEquals(expected.getAttribute("backend").getData(), actual.getAttribute("backend").getData());
            assertEquals(expected.getAttribute("keras_version").getData(),
                    actual.getAttribute("keras_version").getData());
            for (String name : layerNames) {
                List<String> weightNames = weightNames(expected.getChild(name));
                assertEquals(weightNames, weightNames(actual.getChild(name)), name);
                for (String weightName : weightNames) {
                    String path = "/" + name + "/" + weightName;
                    assertArrayEquals(expected.getDatasetByPath(path).getDimensions(),
                            actual.getDatasetByPath(path).getDimensions(), path);
                    assertEquals(float.class, actual.getDatasetByPath(path).getJavaType(), path);
                }
            }
        }
    }

    @Test
    void headNameFollowsNewerKeras() {
        KerasWeightsFixture fixture = KerasWeightsFixture.builder()
                .widths(KerasWeightsFixture.SMALL_WIDTHS).headName("dense").build();
        List<String> names = fixture.layerNames();

        assertEquals(List.of("global_average_pooling2d", "dropout", "dense"), names.subList(names.size() - 3,
                names.size()));
        assertEquals(List.of("dense/kernel:0", "dense/bias:0"), layer(fixture, "dense").weightNames());
        assertEquals("/dense/dense/kernel:0", fixture.weight("dense", "kernel:0").datasetPath());
        assertArrayEquals(new int[] {32, 10}, fixture.weight("dense", "kernel:0").shape());
    }

    @Test
    void valuesFollowTheSeedAndNotTheHeadName() {
        KerasWeightsFixture first = small(5, "dense_1");
        KerasWeightsFixture again = small(5, "dense");
        KerasWeightsFixture other = small(6, "dense_1");

        for (int i = 0; i < first.layers().size(); i++) {
            List<Weight> weights = first.layers().get(i).weights();
            for (int w = 0; w < weights.size(); w++) {
                assertArrayEquals(weights.get(w).values(), again.layers().get(i).weights().get(w).values());
                assertFalse(Arrays.equals(weights.get(w).values(), other.layers().get(i).weights().get(w).values()),
                        weights.get(w).qualifiedName());
            }
        }
    }

    @Test
    void valuesAreWellScaled() {
        KerasWeightsFixture fixture = KerasWeightsFixture.builder().seed(2).build();

        for (Layer layer : fixture.layers()) {
            for (Weight weight : layer.weights()) {
                for (float value : weight.values()) {
                    assertTrue(Float.isFinite(value), weight.qualifiedName());
                    if (weight.name().equals("moving_variance:0") || weight.name().equals("gamma:0")) {
                        assertTrue(value >= 0.5f && value <= 1.5f, weight.qualifiedName() + " " + value);
                    }
                }
            }
        }
        // He scaling: std sqrt(2 / fan_in), fan_in = 1 * 1 * 1024 for conv_pw_13, 3 * 3 for a depthwise kernel.
        assertEquals(Math.sqrt(2.0 / 1024), std(fixture.weight("conv_pw_13", "kernel:0").values()), 0.001);
        assertEquals(Math.sqrt(2.0 / 9), std(fixture.weight("conv_dw_13", "depthwise_kernel:0").values()), 0.02);
    }

    @Test
    void rejectsBadConfiguration() {
        KerasWeightsFixture.Builder builder = KerasWeightsFixture.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.widths(8, 8, 8));
        assertThrows(IllegalArgumentException.class, () -> builder.widths(8, 8, 16, 16, 16, 16, 32, 32, 32, 32, 32,
                32, 32, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.headName(" "));
        assertThrows(IllegalArgumentException.class, () -> builder.build().weight("conv1", "bias:0"));
    }

    private static KerasWeightsFixture small(long seed, String headName) {
        return KerasWeightsFixture.builder().seed(seed).widths(KerasWeightsFixture.SMALL_WIDTHS).headName(headName)
                .build();
    }

    private static Layer layer(KerasWeightsFixture fixture, String name) {
        return fixture.layers().stream().filter(layer -> layer.name().equals(name)).findFirst().orElseThrow();
    }

    /** A layer's weight_names; h5py writes an empty array for weightless layers, this fixture no attribute. */
    private static List<String> weightNames(Node group) {
        Attribute attribute = group.getAttribute("weight_names");
        if (attribute == null || attribute.getSize() == 0) {
            return List.of();
        }
        return List.of((String[]) attribute.getData());
    }

    private static double std(float[] values) {
        double sum = 0;
        double squares = 0;
        for (float value : values) {
            sum += value;
            squares += (double) value * value;
        }
        double mean = sum / values.length;
        return Math.sqrt(squares / values.length - mean * mean);
    }
}
