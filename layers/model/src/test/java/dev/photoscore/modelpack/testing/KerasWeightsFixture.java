package dev.photoscore.modelpack.testing;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Writes NIMA MobileNet weight files in the Keras {@code save_weights} HDF5 layout of idealo's published files,
 * filled with seeded random, well-scaled values, so tests can exercise the Keras reader and the ONNX converter
 * without the real weights.
 *
 * <p>Layout written (as in {@code shared/models/layout_specimen_random.h5}): root attributes {@code layer_names},
 * {@code backend}, {@code keras_version}; one group per layer, in {@code layer_names} order; weighted layers carry a
 * {@code weight_names} attribute ({@code "<layer>/<weight>:0"}) and the float32 datasets
 * {@code /<layer>/<layer>/<weight>:0} in Keras shapes. The architecture (224x224x3 input, strides, padding layers)
 * is MobileNet v1's; only the channel widths are configurable, so tests can use a small network.
 *
 * <p>Where jhdf 0.13.0's writer cannot reproduce the h5py file exactly:
 * <ul>
 *   <li>Weightless layers get an empty group without a {@code weight_names} attribute. h5py writes an empty float64
 *       array there, but jhdf cannot write empty arrays ({@code Utils.getArrayType} reads element 0). Readers must
 *       treat a missing and an empty {@code weight_names} alike (Keras' own writer produces the empty form).</li>
 *   <li>Strings are fixed-length, null-terminated UTF-8 (jhdf's only string type). h5py writes {@code layer_names}
 *       and {@code weight_names} as fixed-length null-padded ASCII and {@code backend}/{@code keras_version} as
 *       scalar variable-length strings. All read back as the same Java strings.</li>
 *   <li>jhdf stamps a {@code _jHDF} root attribute on every file; it is removed, as Keras files have none.</li>
 * </ul>
 *
 * <p>Values: convolution and dense kernels normal with He scaling (std {@code sqrt(2/fan_in)}), dense bias
 * normal(0, 0.2), batch-norm gamma and moving variance uniform in [0.5, 1.5), beta and moving mean normal(0, 0.2).
 * The same seed and widths always give the same values, whatever the head's name.
 */
public final class KerasWeightsFixture {

    /** Input side; the architecture's strides assume it. */
    public static final int INPUT_SIZE = 224;
    /** Dense head outputs: the probabilities of the scores 1..10. */
    public static final int SCORE_CLASSES = 10;
    /** Output channels of conv1, then of the 13 depthwise-separable blocks, of MobileNet v1 at alpha 1.0. */
    public static final List<Integer> MOBILENET_WIDTHS =
            List.of(32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024);
    /** Narrow widths with the same architecture, for fast tests. */
    public static final List<Integer> SMALL_WIDTHS = List.of(8, 8, 16, 16, 16, 16, 32, 32, 32, 32, 32, 32, 32, 32);
    /** Strides of the 13 blocks' depthwise convolutions; stride 2 blocks are preceded by a zero padding layer. */
    public static final List<Integer> BLOCK_STRIDES = List.of(1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1);

    private static final int BLOCKS = BLOCK_STRIDES.size();
    private static final String[] BATCH_NORM_WEIGHTS = {"gamma:0", "beta:0", "moving_mean:0", "moving_variance:0"};

    private final List<Integer> widths;
    private final String headName;
    private final String kerasVersion;
    private final List<Layer> layers;

    private KerasWeightsFixture(Builder builder) {
        this.widths = builder.widths;
        this.headName = builder.headName;
        this.kerasVersion = builder.kerasVersion;
        this.layers = new LayerListing(widths, headName, new ValueSource(builder.seed)).layers;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** All layers in Keras' order, weightless ones included, with their weights and values. */
    public List<Layer> layers() {
        return layers;
    }

    /** The root attribute {@code layer_names}. */
    public List<String> layerNames() {
        return layers.stream().map(Layer::name).toList();
    }

    /** Output channels of conv1 and of the 13 blocks. */
    public List<Integer> widths() {
        return widths;
    }

    public String headName() {
        return headName;
    }

    public String kerasVersion() {
        return kerasVersion;
    }

    /** One weight by layer and weight name, e.g. {@code weight("conv1_bn", "gamma:0")}. */
    public Weight weight(String layerName, String weightName) {
        return layers.stream()
                .filter(layer -> layer.name().equals(layerName))
                .flatMap(layer -> layer.weights().stream())
                .filter(weight -> weight.name().equals(weightName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no weight " + weightName + " in layer " + layerName));
    }

    /** Writes the weights file (replacing any file there) with the current values and returns its path. */
    public Path write(Path file) {
        try (WritableHdfFile hdf = HdfFile.write(file)) {
            hdf.removeAttribute("_jHDF");
            hdf.putAttribute("layer_names", layerNames().toArray(String[]::new));
            hdf.putAttribute("backend", "tensorflow");
            hdf.putAttribute("keras_version", kerasVersion);
            for (Layer layer : layers) {
                WritableGroup group = hdf.putGroup(layer.name());
                if (layer.weights().isEmpty()) {
                    continue;
                }
                group.putAttribute("weight_names", layer.weightNames().toArray(String[]::new));
                WritableGroup weights = group.putGroup(layer.name());
                for (Weight weight : layer.weights()) {
                    weights.putDataset(weight.name(), weight.nestedValues());
                }
            }
        }
        return file;
    }

    /** A Keras layer: its group name and its weights in {@code weight_names} order (none for weightless layers). */
    public record Layer(String name, List<Weight> weights) {

        /** The {@code weight_names} attribute: {@code "<layer>/<weight>:0"}. */
        public List<String> weightNames() {
            return weights.stream().map(Weight::qualifiedName).toList();
        }
    }

    /**
     * One weight tensor. {@code values} is the live row-major (C order, as HDF5 stores it) array that
     * {@link #write(Path)} writes: tests may edit it before writing, e.g. to zero all convolution kernels.
     */
    public record Weight(String layer, String name, int[] shape, float[] values) {

        /** The entry in the layer's {@code weight_names}. */
        public String qualifiedName() {
            return layer + "/" + name;
        }

        /** The dataset's absolute path: {@code /<layer>/<layer>/<weight>:0}. */
        public String datasetPath() {
            return "/" + layer + "/" + qualifiedName();
        }

        /** The values as a Java array of the weight's rank, which jhdf writes as a dataset of that shape. */
        Object nestedValues() {
            Object nested = Array.newInstance(float.class, shape);
            int copied = copyInto(nested, 0, 0);
            if (copied != values.length) {
                throw new IllegalStateException(qualifiedName() + " holds " + values.length
                        + " values but its shape " + Arrays.toString(shape) + " needs " + copied);
            }
            return nested;
        }

        private int copyInto(Object nested, int dimension, int offset) {
            if (dimension == shape.length - 1) {
                System.arraycopy(values, offset, nested, 0, shape[dimension]);
                return offset + shape[dimension];
            }
            int next = offset;
            for (int i = 0; i < shape[dimension]; i++) {
                next = copyInto(Array.get(nested, i), dimension + 1, next);
            }
            return next;
        }
    }

    public static final class Builder {
        private long seed = 1;
        private List<Integer> widths = MOBILENET_WIDTHS;
        private String headName = "dense_1";
        private String kerasVersion = "2.2.4";

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Output channels of conv1 then of the 13 blocks: 14 positive values. Default {@link #MOBILENET_WIDTHS}. */
        public Builder widths(List<Integer> widths) {
            Objects.requireNonNull(widths, "widths");
            if (widths.size() != BLOCKS + 1) {
                throw new IllegalArgumentException("need " + (BLOCKS + 1)
                        + " widths (conv1 and 13 blocks), got " + widths.size());
            }
            if (widths.stream().anyMatch(width -> width == null || width <= 0)) {
                throw new IllegalArgumentException("widths must be positive: " + widths);
            }
            this.widths = List.copyOf(widths);
            return this;
        }

        public Builder widths(int... widths) {
            return widths(Arrays.stream(widths).boxed().toList());
        }

        /**
         * The dense head's layer name: {@code dense_1} (idealo's files, default) or {@code dense} (newer Keras).
         * The weightless pooling and dropout layers take the same suffix ({@code _1} or none).
         */
        public Builder headName(String headName) {
            if (headName == null || headName.isBlank() || headName.contains("/")) {
                throw new IllegalArgumentException("head name must be a non-blank HDF5 name: " + headName);
            }
            this.headName = headName;
            return this;
        }

        /** The root attribute {@code keras_version}; default {@code 2.2.4}, as in idealo's files. */
        public Builder kerasVersion(String kerasVersion) {
            this.kerasVersion = Objects.requireNonNull(kerasVersion, "kerasVersion");
            return this;
        }

        public KerasWeightsFixture build() {
            return new KerasWeightsFixture(this);
        }

        /** Shorthand for {@code build().write(file)}. */
        public Path write(Path file) {
            return build().write(file);
        }
    }

    /** Lists MobileNet v1's layers as Keras names them, drawing each weight's values as it goes. */
    private static final class LayerListing {
        private final List<Layer> layers = new ArrayList<>();
        private final ValueSource values;

        LayerListing(List<Integer> widths, String headName, ValueSource values) {
            this.values = values;
            String suffix = headName.startsWith("dense") ? headName.substring("dense".length()) : "";
            weightless("input_1");
            weightless("conv1_pad");
            layers.add(new Layer("conv1", List.of(kernel("conv1", "kernel:0", 3, 3, 3, widths.get(0)))));
            batchNorm("conv1_bn", widths.get(0));
            weightless("conv1_relu");
            for (int block = 1; block <= BLOCKS; block++) {
                int in = widths.get(block - 1);
                int out = widths.get(block);
                if (BLOCK_STRIDES.get(block - 1) == 2) {
                    weightless("conv_pad_" + block);
                }
                String depthwise = "conv_dw_" + block;
                layers.add(new Layer(depthwise, List.of(kernel(depthwise, "depthwise_kernel:0", 3, 3, in, 1))));
                batchNorm(depthwise + "_bn", in);
                weightless(depthwise + "_relu");
                String pointwise = "conv_pw_" + block;
                layers.add(new Layer(pointwise, List.of(kernel(pointwise, "kernel:0", 1, 1, in, out))));
                batchNorm(pointwise + "_bn", out);
                weightless(pointwise + "_relu");
            }
            weightless("global_average_pooling2d" + suffix);
            weightless("dropout" + suffix);
            int features = widths.get(BLOCKS);
            layers.add(new Layer(headName, List.of(
                    kernel(headName, "kernel:0", features, SCORE_CLASSES),
                    new Weight(headName, "bias:0", new int[] {SCORE_CLASSES}, values.normal(SCORE_CLASSES, 0.2)))));
        }

        private void weightless(String name) {
            layers.add(new Layer(name, List.of()));
        }

        /** He-scaled kernel; fan-in is every dimension but the last (a depthwise kernel's last is its multiplier). */
        private Weight kernel(String layer, String name, int... shape) {
            boolean depthwise = name.startsWith("depthwise");
            int fanIn = 1;
            for (int i = 0; i < shape.length - (depthwise ? 2 : 1); i++) {
                fanIn *= shape[i];
            }
            int count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
            return new Weight(layer, name, shape, values.normal(count, Math.sqrt(2.0 / fanIn)));
        }

        private void batchNorm(String layer, int channels) {
            List<Weight> weights = new ArrayList<>();
            for (String name : BATCH_NORM_WEIGHTS) {
                float[] drawn = switch (name) {
                    case "gamma:0", "moving_variance:0" -> values.uniform(channels, 0.5, 1.5);
                    default -> values.normal(channels, 0.2);
                };
                weights.add(new Weight(layer, name, new int[] {channels}, drawn));
            }
            layers.add(new Layer(layer, List.copyOf(weights)));
        }
    }

    /** One seeded stream for all values, drawn in layer order, so a seed fixes the whole file. */
    private static final class ValueSource {
        private final Random random;

        ValueSource(long seed) {
            this.random = new Random(seed);
        }

        float[] normal(int count, double std) {
            float[] drawn = new float[count];
            for (int i = 0; i < count; i++) {
                drawn[i] = (float) (random.nextGaussian() * std);
            }
            return drawn;
        }

        float[] uniform(int count, double from, double to) {
            float[] drawn = new float[count];
            for (int i = 0; i < count; i++) {
                drawn[i] = (float) (from + random.nextDouble() * (to - from));
            }
            return drawn;
        }
    }
}
