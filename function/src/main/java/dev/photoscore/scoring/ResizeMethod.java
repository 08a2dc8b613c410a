package dev.photoscore.scoring;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.Locale;

/**
 * How a photo is brought to the models' input size, without keeping the aspect ratio (as NIMA was trained).
 * The output is packed RGB, row-major.
 */
public enum ResizeMethod {

    /**
     * Nearest neighbour with PIL's sampling positions (pixel centres: source x = floor((x + 0.5) * srcW / dstW)),
     * which is what Keras' {@code load_img(target_size=...)} used when idealo trained NIMA.
     */
    NEAREST {
        @Override
        int[] resize(BufferedImage rgb, int width, int height) {
            int[] src = pixels(rgb);
            int sw = rgb.getWidth();
            int sh = rgb.getHeight();
            int[] dst = new int[width * height];
            int[] sourceX = new int[width];
            for (int x = 0; x < width; x++) {
                sourceX[x] = Math.min(sw - 1, (int) ((x + 0.5) * sw / width));
            }
            for (int y = 0; y < height; y++) {
                int sy = Math.min(sh - 1, (int) ((y + 0.5) * sh / height));
                for (int x = 0; x < width; x++) {
                    dst[y * width + x] = src[sy * sw + sourceX[x]];
                }
            }
            return dst;
        }
    },

    /**
     * Area averaging: each output pixel is the mean of the source area it covers, weighted by overlap (like OpenCV's
     * INTER_AREA). Anti-aliased, so a photo's fine texture does not alias into the small input.
     */
    AREA {
        @Override
        int[] resize(BufferedImage rgb, int width, int height) {
            int[] src = pixels(rgb);
            int sw = rgb.getWidth();
            int sh = rgb.getHeight();
            Span[] xs = Span.of(sw, width);
            Span[] ys = Span.of(sh, height);
            // Horizontal pass into a float buffer per channel, then vertical pass.
            float[] rows = new float[sh * width * 3];
            for (int y = 0; y < sh; y++) {
                for (int x = 0; x < width; x++) {
                    Span span = xs[x];
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    for (int i = 0; i < span.weights.length; i++) {
                        int p = src[y * sw + span.first + i];
                        float wgt = span.weights[i];
                        r += wgt * (p >> 16 & 0xFF);
                        g += wgt * (p >> 8 & 0xFF);
                        b += wgt * (p & 0xFF);
                    }
                    int o = (y * width + x) * 3;
                    rows[o] = r;
                    rows[o + 1] = g;
                    rows[o + 2] = b;
                }
            }
            int[] dst = new int[width * height];
            for (int y = 0; y < height; y++) {
                Span span = ys[y];
                for (int x = 0; x < width; x++) {
                    float r = 0;
                    float g = 0;
                    float b = 0;
                    for (int i = 0; i < span.weights.length; i++) {
                        int o = ((span.first + i) * width + x) * 3;
                        float wgt = span.weights[i];
                        r += wgt * rows[o];
                        g += wgt * rows[o + 1];
                        b += wgt * rows[o + 2];
                    }
                    dst[y * width + x] = clamp(r) << 16 | clamp(g) << 8 | clamp(b);
                }
            }
            return dst;
        }
    };

    /** The image resized to {@code width x height}, as packed 0xRRGGBB ints. */
    abstract int[] resize(BufferedImage rgb, int width, int height);

    public static ResizeMethod parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown resize method '" + name + "' (nearest or area)");
        }
    }

    static int[] pixels(BufferedImage rgb) {
        if (rgb.getType() != BufferedImage.TYPE_INT_RGB) {
            throw new IllegalArgumentException("expected a TYPE_INT_RGB image");
        }
        return ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
    }

    private static int clamp(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }

    /** The source pixels one output pixel covers along one axis, with their overlap weights (summing to 1). */
    private record Span(int first, float[] weights) {

        static Span[] of(int source, int target) {
            Span[] spans = new Span[target];
            double scale = (double) source / target;
            for (int t = 0; t < target; t++) {
                double start = t * scale;
                double end = Math.min(source, (t + 1) * scale);
                int first = (int) Math.floor(start);
                int last = Math.min(source - 1, (int) Math.ceil(end) - 1);
                float[] weights = new float[last - first + 1];
                for (int s = first; s <= last; s++) {
                    double overlap = Math.min(end, s + 1) - Math.max(start, s);
                    weights[s - first] = (float) (overlap / (end - start));
                }
                spans[t] = new Span(first, weights);
            }
            return spans;
        }
    }
}
