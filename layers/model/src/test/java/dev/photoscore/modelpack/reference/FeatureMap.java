package dev.photoscore.modelpack.reference;

/**
 * A channels-last activation of one image, as Keras holds it without the batch axis: value (y, x, c) at
 * {@code (y * width + x) * channels + c}. Values are float32 like Keras' tensors.
 */
public record FeatureMap(int height, int width, int channels, float[] values) {

    public FeatureMap {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("feature map sizes must be positive: " + height + "x" + width + "x"
                    + channels);
        }
        if (values.length != height * width * channels) {
            throw new IllegalArgumentException("a " + height + "x" + width + "x" + channels + " feature map needs "
                    + height * width * channels + " values, got " + values.length);
        }
    }

    public static FeatureMap zeros(int height, int width, int channels) {
        return new FeatureMap(height, width, channels, new float[height * width * channels]);
    }

    public float get(int y, int x, int c) {
        return values[index(y, x, c)];
    }

    public int index(int y, int x, int c) {
        return (y * width + x) * channels + c;
    }
}
