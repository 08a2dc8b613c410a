package dev.photoscore.quality;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named quality features of one photo, in the fixed order of their feature set, with the feature set's version.
 * Immutable.
 */
public final class FeatureVector {

    private final String version;
    private final List<String> names;
    private final float[] values;
    private final Map<String, Integer> index;

    FeatureVector(String version, List<String> names, float[] values) {
        if (names.size() != values.length) {
            throw new IllegalArgumentException(names.size() + " feature names for " + values.length + " values");
        }
        this.version = Objects.requireNonNull(version, "version");
        this.names = List.copyOf(names);
        this.values = values.clone();
        this.index = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            if (index.put(this.names.get(i), i) != null) {
                throw new IllegalArgumentException("feature name repeated: " + this.names.get(i));
            }
        }
    }

    /** The feature set's version; a model must be used only with the version it was trained on. */
    public String version() {
        return version;
    }

    public List<String> names() {
        return names;
    }

    public int size() {
        return values.length;
    }

    public float get(int i) {
        return values[i];
    }

    /** The value of the named feature; {@link IllegalArgumentException} for a name not in this feature set. */
    public float get(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no feature named '" + name + "' in feature set " + version);
        }
        return values[i];
    }

    /** A copy of the values, in the order of {@link #names()}. */
    public float[] toArray() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureVector other && version.equals(other.version) && names.equals(other.names)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, names, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("FeatureVector[").append(version);
        for (int i = 0; i < values.length; i++) {
            text.append(i == 0 ? ": " : ", ").append(names.get(i)).append('=').append(values[i]);
        }
        return text.append(']').toString();
    }
}
