package dev.photoscore.modelpack.convert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which features the MobileNet backbone graph computes: for each layer in {@link #layers} (in that order), each
 * statistic in {@link #statistics} (in that order) of each of the layer's channels, pooled over the whole image.
 *
 * <p>Layers are named as in Google's TF-slim MobileNet v1: {@code Conv2d_0} (the first 3x3/2 convolution), then
 * {@code Conv2d_<i>_depthwise} and {@code Conv2d_<i>_pointwise} for the 13 depthwise-separable blocks {@code i = 1..13};
 * each is the layer's output after its ReLU6.
 */
public record BackboneSpec(List<String> layers, List<Statistic> statistics) {

    // Before DEFAULT, which the constructor checks against it.
    private static final Pattern LAYER = Pattern.compile("Conv2d_0|Conv2d_([1-9][0-9]*)_(depthwise|pointwise)");

    /** The three pointwise layers of the measured experiment (docs/scoring.md), mean and standard deviation. */
    public static final BackboneSpec DEFAULT = new BackboneSpec(
            List.of(pointwise(5), pointwise(11), pointwise(13)), List.of(Statistic.MEAN, Statistic.STD));

    public static final String FIRST_CONV = "Conv2d_0";

    /** A per-channel statistic over the spatial positions of a layer's output. */
    public enum Statistic {
        /** The spatial mean. */
        MEAN,
        /** The population standard deviation, {@code sqrt(mean((x - mean(x))^2))}. */
        STD;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Statistic of(String label) {
            for (Statistic statistic : values()) {
                if (statistic.label().equalsIgnoreCase(label.trim())) {
                    return statistic;
                }
            }
            throw new IllegalArgumentException("unknown statistic '" + label + "'; known: mean, std");
        }
    }

    public BackboneSpec {
        layers = List.copyOf(layers);
        statistics = List.copyOf(statistics);
        if (layers.isEmpty() || statistics.isEmpty()) {
            throw new IllegalArgumentException("a backbone spec needs at least one layer and one statistic");
        }
        for (String layer : layers) {
            if (!LAYER.matcher(layer).matches()) {
                throw new IllegalArgumentException("'" + layer + "' is not a MobileNet v1 layer name (Conv2d_0,"
                        + " Conv2d_<i>_depthwise, Conv2d_<i>_pointwise)");
            }
        }
        if (new HashSet<>(layers).size() != layers.size() || new HashSet<>(statistics).size() != statistics.size()) {
            throw new IllegalArgumentException("a backbone spec names a layer or statistic twice: " + layers + " "
                    + statistics);
        }
    }

    /** The output of block {@code block}'s depthwise 3x3 convolution (block 1..13). */
    public static String depthwise(int block) {
        return "Conv2d_" + checkBlock(block) + "_depthwise";
    }

    /** The output of block {@code block}'s pointwise 1x1 convolution (block 1..13). */
    public static String pointwise(int block) {
        return "Conv2d_" + checkBlock(block) + "_pointwise";
    }

    private static int checkBlock(int block) {
        if (block < 1) {
            throw new IllegalArgumentException("MobileNet blocks are numbered from 1, not " + block);
        }
        return block;
    }

    /** The position of {@code layer} in the network's chain of convolutions: Conv2d_0 is 0, block i's are 2i-1, 2i. */
    static int position(String layer) {
        var m = LAYER.matcher(layer);
        if (!m.matches()) {
            throw new IllegalArgumentException(layer);
        }
        if (m.group(1) == null) {
            return 0;
        }
        int block = Integer.parseInt(m.group(1));
        return m.group(2).equals("depthwise") ? 2 * block - 1 : 2 * block;
    }

    /** The layer name at {@code position} of the chain, the inverse of {@link #position(String)}. */
    static String layerAt(int position) {
        return position == 0 ? FIRST_CONV : position % 2 == 1 ? depthwise((position + 1) / 2) : pointwise(position / 2);
    }

    /** {@code layer1,layer2,...;stat1,stat2}, the form {@link #parse} reads (e.g. in a head's provenance). */
    public String text() {
        return String.join(",", layers) + ";" + String.join(",", statistics.stream().map(Statistic::label).toList());
    }

    /** Reads {@link #text()}'s form. */
    public static BackboneSpec parse(String text) {
        int semicolon = text.indexOf(';');
        if (semicolon < 0) {
            throw new IllegalArgumentException("a backbone spec reads 'layer,...;statistic,...', not '" + text + "'");
        }
        List<String> layers = new ArrayList<>();
        for (String layer : text.substring(0, semicolon).split(",")) {
            layers.add(layer.trim());
        }
        List<Statistic> statistics = new ArrayList<>();
        for (String statistic : text.substring(semicolon + 1).split(",")) {
            statistics.add(Statistic.of(statistic));
        }
        return new BackboneSpec(layers, statistics);
    }
}
