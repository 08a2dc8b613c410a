package dev.photoscore.modelpack.convert;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The weights of a Keras model saved in HDF5 ({@code save_weights}, or the {@code model_weights} group of a full
 * {@code save}): for each layer in {@code layer_names} order, its weights by short name ({@code kernel},
 * {@code gamma}, ...), read with jhdf.
 */
final class KerasWeightsFile {

    private final Map<String, Map<String, Tensor>> layers;

    private KerasWeightsFile(Map<String, Map<String, Tensor>> layers) {
        this.layers = layers;
    }

    static KerasWeightsFile read(Path file) {
        try (HdfFile hdf = new HdfFile(file)) {
            Group root = hdf;
            if (hdf.getChildren().get("model_weights") instanceof Group modelWeights) {
                root = modelWeights;
            }
            Map<String, Map<String, Tensor>> layers = new LinkedHashMap<>();
            for (String layerName : stringList(root, "layer_names", true)) {
                if (!(root.getChild(layerName) instanceof Group layerGroup)) {
                    throw new InvalidWeightsException(file + ": layer " + layerName + " has no group");
                }
                Map<String, Tensor> weights = new LinkedHashMap<>();
                for (String weightPath : stringList(layerGroup, "weight_names", false)) {
                    Node node = layerGroup.getByPath(weightPath);
                    if (!(node instanceof Dataset dataset)) {
                        throw new InvalidWeightsException(file + ": weight " + weightPath + " is not a dataset");
                    }
                    weights.put(shortName(weightPath), toTensor(dataset));
                }
                layers.put(layerName, weights);
            }
            return new KerasWeightsFile(layers);
        } catch (InvalidWeightsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidWeightsException(file + " is not a readable Keras HDF5 weights file: " + e.getMessage(), e);
        }
    }

    /** Weights of a layer; an empty map for a layer without weights. */
    Map<String, Tensor> layer(String name) {
        Map<String, Tensor> weights = layers.get(name);
        if (weights == null) {
            throw new InvalidWeightsException("the weights file has no layer " + name);
        }
        return weights;
    }

    Tensor weight(String layer, String weight) {
        Tensor tensor = layer(layer).get(weight);
        if (tensor == null) {
            throw new InvalidWeightsException("layer " + layer + " has no weight " + weight);
        }
        return tensor;
    }

    /** Names of the layers that carry weights, in file order. */
    List<String> weightedLayers() {
        List<String> names = new ArrayList<>();
        layers.forEach((name, weights) -> {
            if (!weights.isEmpty()) {
                names.add(name);
            }
        });
        return Collections.unmodifiableList(names);
    }

    /** "conv1/kernel:0" and "conv1/conv1/kernel:0" both name the weight "kernel". */
    private static String shortName(String weightPath) {
        String last = weightPath.substring(weightPath.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 ? last : last.substring(0, colon);
    }

    /** A list-of-strings attribute; an absent optional one is empty (some writers omit empty weight lists). */
    private static List<String> stringList(Node node, String attributeName, boolean required) {
        Attribute attribute = node.getAttribute(attributeName);
        if (attribute == null && !required) {
            return new ArrayList<>();
        }
        if (attribute == null) {
            throw new InvalidWeightsException(node.getPath() + " has no attribute " + attributeName
                    + " (not a Keras weights file?)");
        }
        List<String> names = new ArrayList<>();
        if (attribute.isEmpty()) {
            return names; // layers without weights (input, padding, activations) have an empty list
        }
        Object value = attribute.getData();
        if (value instanceof String[] strings) {
            Collections.addAll(names, strings);
        } else if (value instanceof String single) {
            names.add(single);
        } else {
            throw new InvalidWeightsException(node.getPath() + ": attribute " + attributeName
                    + " is not a list of strings");
        }
        return names;
    }

    private static Tensor toTensor(Dataset dataset) {
        int[] shape = dataset.getDimensions();
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
            throw new InvalidWeightsException(dataset.getPath() + " holds " + dataset.getJavaType()
                    + ", not floating-point weights");
        }
        return new Tensor(shape, values);
    }
}
