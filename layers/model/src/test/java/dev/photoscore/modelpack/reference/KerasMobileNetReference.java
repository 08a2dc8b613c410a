package dev.photoscore.modelpack.reference;

import static dev.photoscore.modelpack.reference.KerasLayers.Padding.SAME;
import static dev.photoscore.modelpack.reference.KerasLayers.Padding.VALID;

import dev.photoscore.modelpack.reference.KerasLayers.Padding;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent reference for the Keras to ONNX conversion: idealo's NIMA (MobileNet v1 features, Dense(10)
 * softmax head) run in plain Java straight from the Keras layer definitions, on weights read from a Keras
 * {@code save_weights} HDF5 file with code of its own. It shares nothing with the converter, and deliberately does
 * none of its tricks: batch normalisation stays a separate layer, padding layers stay explicit.
 *
 * <p>Input: channels-last 224x224x3 RGB, already normalised as Keras' MobileNet {@code preprocess_input} does
 * ({@code x / 127.5 - 1}); see {@link #normalisedInput(BufferedImage)}. Output: the probabilities of the scores
 * 1..10. Channel widths come from the kernels' shapes, so narrow test networks run as well as the real one. The
 * dense head is found by its kernel's shape ({@code [features, 10]}), not by its name.
 *
 * <p>An instance is immutable after {@link #load(Path)} and may be shared between threads.
 */
public final class KerasMobileNetReference {

    public static final int INPUT_SIZE = 224;
    public static final int INPUT_CHANNELS = 3;
    public static final int SCORE_CLASSES = 10;
    /** Keras MobileNet's BatchNormalization epsilon. */
    public static final double BATCH_NORM_EPSILON = 1e-3;
    /** Depthwise strides of the 13 blocks; stride 2 blocks (2, 4, 6, 12) have a ZeroPadding2D before them. */
    private static final int[] BLOCK_STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};

    private final List<Integer> widths;
    private final float[] conv1Kernel;
    private final BatchNorm conv1Norm;
    private final List<Block> blocks;
    private final String headName;
    private final float[] denseKernel;
    private final float[] denseBias;

    private KerasMobileNetReference(WeightsFile file) {
        Tensor conv1 = file.weight("conv1", "kernel:0");
        int width = conv1.requireShape(3, 3, INPUT_CHANNELS, conv1.lastDimension());
        List<Integer> foundWidths = new ArrayList<>(List.of(width));
        this.conv1Kernel = conv1.values;
        this.conv1Norm = BatchNorm.read(file, "conv1_bn", width);
        List<Block> readBlocks = new ArrayList<>();
        for (int number = 1; number <= BLOCK_STRIDES.length; number++) {
            Block block = Block.read(file, number, width, BLOCK_STRIDES[number - 1]);
            readBlocks.add(block);
            width = block.outChannels;
            foundWidths.add(width);
        }
        this.blocks = List.copyOf(readBlocks);
        this.widths = List.copyOf(foundWidths);
        DenseHead head = file.denseHead(width);
        this.headName = head.name();
        this.denseKernel = head.kernel();
        this.denseBias = head.bias();
    }

    /**
     * Reads a Keras weights file. Throws {@link IllegalArgumentException} naming the problem when the file is
     * absent or does not hold a NIMA MobileNet.
     */
    public static KerasMobileNetReference load(Path weightsFile) {
        if (!Files.isRegularFile(weightsFile)) {
            throw new IllegalArgumentException("no Keras weights file at " + weightsFile);
        }
        try (HdfFile hdf = new HdfFile(weightsFile)) {
            return new KerasMobileNetReference(new WeightsFile(hdf));
        } catch (IllegalArgumentException | HdfException e) {
            throw new IllegalArgumentException(weightsFile + ": " + e.getMessage(), e);
        }
    }

    /** Output channels of conv1 and of the 13 blocks, as read from the kernels. */
    public List<Integer> widths() {
        return widths;
    }

    /** The name of the layer found as the dense head. */
    public String headLayerName() {
        return headName;
    }

    /** The probabilities of the scores 1..10 for one normalised 224x224x3 channels-last input. */
    public float[] predict(float[] normalisedInput) {
        // Dropout(0.75) sits between pooling and the head: identity at inference.
        return KerasLayers.softmax(KerasLayers.dense(pooledFeatures(normalisedInput), denseKernel, denseBias));
    }

    /** The global-average-pooled features the head sees (1024 for the real network). */
    public float[] pooledFeatures(float[] normalisedInput) {
        int expected = INPUT_SIZE * INPUT_SIZE * INPUT_CHANNELS;
        if (normalisedInput.length != expected) {
            throw new IllegalArgumentException("input must be 224x224x3 channels-last (" + expected
                    + " values), got " + normalisedInput.length);
        }
        FeatureMap x = new FeatureMap(INPUT_SIZE, INPUT_SIZE, INPUT_CHANNELS, normalisedInput.clone());
        x = KerasLayers.zeroPadding(x, 0, 1, 0, 1); // conv1_pad
        x = KerasLayers.conv2d(x, conv1Kernel, 3, widths.get(0), 2, VALID);
        x = KerasLayers.relu6(conv1Norm.apply(x));
        for (Block block : blocks) {
            x = block.apply(x);
        }
        return KerasLayers.globalAveragePooling(x);
    }

    /** NIMA's mean score: {@code sum over i = 1..10 of i * p_i}. */
    public static double meanScore(float[] probabilities) {
        if (probabilities.length != SCORE_CLASSES) {
            throw new IllegalArgumentException("need " + SCORE_CLASSES + " probabilities, got "
                    + probabilities.length);
        }
        double mean = 0;
        for (int i = 0; i < SCORE_CLASSES; i++) {
            mean += (i + 1) * (double) probabilities[i];
        }
        return mean;
    }

    /**
     * An RGB image already resized to 224x224 as the network's input: channels-last, RGB order, each channel value
     * {@code v / 127.5 - 1} in float32 (Keras' MobileNet {@code preprocess_input}). Pixels are read as sRGB through
     * {@link BufferedImage#getRGB(int, int)}, so pass an RGB image type.
     */
    public static float[] normalisedInput(BufferedImage image) {
        if (image.getWidth() != INPUT_SIZE || image.getHeight() != INPUT_SIZE) {
            throw new IllegalArgumentException("image must be " + INPUT_SIZE + "x" + INPUT_SIZE + ", got "
                    + image.getWidth() + "x" + image.getHeight());
        }
        float[] input = new float[INPUT_SIZE * INPUT_SIZE * INPUT_CHANNELS];
        int i = 0;
        for (int y = 0; y < INPUT_SIZE; y++) {
            for (int x = 0; x < INPUT_SIZE; x++) {
                int rgb = image.getRGB(x, y);
                input[i++] = ((rgb >> 16) & 0xff) / 127.5f - 1f;
                input[i++] = ((rgb >> 8) & 0xff) / 127.5f - 1f;
                input[i++] = (rgb & 0xff) / 127.5f - 1f;
            }
        }
        return input;
    }

    /** One depthwise-separable block: [ZeroPadding2D,] DepthwiseConv2D, BN, ReLU6, 1x1 Conv2D, BN, ReLU6. */
    private record Block(int stride, float[] depthwiseKernel, BatchNorm depthwiseNorm, float[] pointwiseKernel,
                         int outChannels, BatchNorm pointwiseNorm) {

        static Block read(WeightsFile file, int number, int inChannels, int stride) {
            Tensor depthwise = file.weight("conv_dw_" + number, "depthwise_kernel:0");
            depthwise.requireShape(3, 3, inChannels, 1);
            Tensor pointwise = file.weight("conv_pw_" + number, "kernel:0");
            int out = pointwise.requireShape(1, 1, inChannels, pointwise.lastDimension());
            return new Block(stride, depthwise.values, BatchNorm.read(file, "conv_dw_" + number + "_bn", inChannels),
                    pointwise.values, out, BatchNorm.read(file, "conv_pw_" + number + "_bn", out));
        }

        FeatureMap apply(FeatureMap in) {
            FeatureMap x = in;
            Padding padding = SAME;
            if (stride == 2) {
                x = KerasLayers.zeroPadding(x, 0, 1, 0, 1); // conv_pad_N
                padding = VALID;
            }
            x = KerasLayers.depthwiseConv2d(x, depthwiseKernel, 3, stride, padding);
            x = KerasLayers.relu6(depthwiseNorm.apply(x));
            x = KerasLayers.conv2d(x, pointwiseKernel, 1, outChannels, 1, SAME);
            return KerasLayers.relu6(pointwiseNorm.apply(x));
        }
    }

    private record BatchNorm(float[] gamma, float[] beta, float[] movingMean, float[] movingVariance) {

        static BatchNorm read(WeightsFile file, String layer, int channels) {
            return new BatchNorm(file.vector(layer, "gamma:0", channels), file.vector(layer, "beta:0", channels),
                    file.vector(layer, "moving_mean:0", channels), file.vector(layer, "moving_variance:0", channels));
        }

        FeatureMap apply(FeatureMap in) {
            return KerasLayers.batchNormalization(in, gamma, beta, movingMean, movingVariance, BATCH_NORM_EPSILON);
        }
    }

    private record DenseHead(String name, float[] kernel, float[] bias) {
    }

    /** A weight as stored: its dataset path, shape and row-major values. */
    private record Tensor(String path, int[] shape, float[] values) {

        int lastDimension() {
            return shape.length == 0 ? 0 : shape[shape.length - 1];
        }

        /** Checks the shape and returns its last dimension. */
        int requireShape(int... expected) {
            if (!Arrays.equals(shape, expected) || Arrays.stream(expected).anyMatch(d -> d <= 0)) {
                throw new IllegalArgumentException(path + " has shape " + Arrays.toString(shape) + ", expected "
                        + Arrays.toString(expected));
            }
            return lastDimension();
        }
    }

    /**
     * The weights of a Keras {@code save_weights} file, read as Keras' loader does: {@code layer_names} lists the
     * layer groups, each group's {@code weight_names} lists its datasets relative to the group. A weightless layer
     * has an empty {@code weight_names} (h5py) or none at all (jhdf's writer cannot write empty arrays).
     */
    private static final class WeightsFile {
        private final Map<String, List<Tensor>> layers = new LinkedHashMap<>();

        WeightsFile(HdfFile hdf) {
            Attribute layerNames = hdf.getAttribute("layer_names");
            if (layerNames == null || !(layerNames.getData() instanceof String[] names)) {
                throw new IllegalArgumentException("not a Keras weights file: no layer_names attribute");
            }
            for (String name : names) {
                Node group = hdf.getChild(name);
                if (group == null || !group.isGroup()) {
                    throw new IllegalArgumentException("layer_names lists " + name + " but there is no such group");
                }
                List<Tensor> weights = new ArrayList<>();
                for (String weightName : weightNames(group)) {
                    weights.add(read(hdf, "/" + name + "/" + weightName));
                }
                layers.put(name, List.copyOf(weights));
            }
        }

        private static List<String> weightNames(Node group) {
            Attribute attribute = group.getAttribute("weight_names");
            if (attribute == null || attribute.getSize() == 0) {
                return List.of();
            }
            if (!(attribute.getData() instanceof String[] names)) {
                throw new IllegalArgumentException(group.getPath() + " has weight_names that are not strings");
            }
            return List.of(names);
        }

        private static Tensor read(HdfFile hdf, String path) {
            Node node = hdf.getByPath(path);
            if (!(node instanceof Dataset dataset)) {
                throw new IllegalArgumentException("weight_names lists " + path + " but there is no such dataset");
            }
            Object flat = dataset.getDataFlat();
            float[] values;
            if (flat instanceof float[] floats) {
                values = floats;
            } else if (flat instanceof double[] doubles) {
                values = new float[doubles.length];
                for (int i = 0; i < doubles.length; i++) {
                    values[i] = (float) doubles[i];
                }
            } else {
                throw new IllegalArgumentException(path + " is not a floating point dataset");
            }
            return new Tensor(path, dataset.getDimensions(), values);
        }

        Tensor weight(String layer, String weightName) {
            List<Tensor> weights = layers.get(layer);
            if (weights == null) {
                throw new IllegalArgumentException("no layer " + layer + " in layer_names");
            }
            return weights.stream()
                    .filter(tensor -> tensor.path().endsWith("/" + weightName))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("layer " + layer + " has no weight " + weightName));
        }

        float[] vector(String layer, String weightName, int length) {
            Tensor tensor = weight(layer, weightName);
            tensor.requireShape(length);
            return tensor.values;
        }

        /** The single layer holding a [features, 10] kernel, with its [10] bias. */
        DenseHead denseHead(int features) {
            int[] kernelShape = {features, SCORE_CLASSES};
            List<Map.Entry<String, List<Tensor>>> candidates = layers.entrySet().stream()
                    .filter(layer -> layer.getValue().stream().anyMatch(t -> Arrays.equals(t.shape(), kernelShape)))
                    .toList();
            if (candidates.size() != 1) {
                throw new IllegalArgumentException("need exactly one dense layer with a kernel of shape "
                        + Arrays.toString(kernelShape) + ", found " + candidates.size());
            }
            String name = candidates.get(0).getKey();
            List<Tensor> weights = candidates.get(0).getValue();
            Tensor kernel = weights.stream().filter(t -> Arrays.equals(t.shape(), kernelShape)).findFirst().get();
            Tensor bias = weights.stream()
                    .filter(t -> Arrays.equals(t.shape(), new int[] {SCORE_CLASSES}))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("dense layer " + name + " has no bias of shape ["
                            + SCORE_CLASSES + "]"));
            return new DenseHead(name, kernel.values, bias.values);
        }
    }
}
