package dev.photoscore.quality;

import java.awt.image.BufferedImage;
import java.util.HashMap;
import java.util.Map;

/**
 * The copy of a photo the features are computed on: red, green, blue and luma planes (0..255) of at most
 * {@link #MAX_PIXELS} pixels, plus the luma of a native-resolution centre crop for the JPEG blockiness.
 *
 * <p>Larger photos are reduced by exact area averaging (every source pixel weighs by the area it covers in the
 * target pixel), keeping the aspect ratio. The features are scale dependent (edge widths, noise and Laplacian
 * energy are in working pixels), so the same working size must be used for training and scoring; the quality model
 * was trained on 500x500 photos, which stay at their size.
 *
 * <p>Whatever is computed from it (the Sobel gradients, Immerkær's noise response, each feature group's values) is
 * computed once and kept, so the features and the quality flags ({@code dev.photoscore.quality.flags}) of one photo
 * share the work. Not thread-safe: one working image per photo and thread.
 */
public final class WorkingImage {

    /** The most pixels the features are computed on: 512 x 512. */
    static final int MAX_PIXELS = 512 * 512;
    /** Width and height of the native-resolution crop the blockiness is measured on. */
    static final int NATIVE_CROP = 512;
    /** Smallest accepted width and height. */
    static final int MIN_SIDE = 32;

    private static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    private static final float[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};
    /** Immerkær's noise mask, the difference of two Laplacians: zero on image structure up to second order. */
    private static final float[] NOISE_MASK = {1, -2, 1, -2, 4, -2, 1, -2, 1};

    final int originalWidth;
    final int originalHeight;
    final Plane red;
    final Plane green;
    final Plane blue;
    /** ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, as MATLAB's {@code rgb2gray} used by BRISQUE. */
    final Plane luma;
    /** Luma of a centre crop at the photo's own resolution, its origin on the photo's 8x8 JPEG block grid. */
    final Plane nativeLuma;

    private WorkingImage(int originalWidth, int originalHeight, Plane red, Plane green, Plane blue, Plane nativeLuma) {
        this.originalWidth = originalWidth;
        this.originalHeight = originalHeight;
        this.red = red;
        this.green = green;
        this.blue = blue;
        this.luma = luma(red, green, blue);
        this.nativeLuma = nativeLuma;
    }

    private Plane gradientX;
    private Plane gradientY;
    private Plane noiseResponse;
    private final Map<FeatureGroup, double[]> groupValues = new HashMap<>();

    /** Width of the photo as decoded. */
    public int originalWidth() {
        return originalWidth;
    }

    /** Height of the photo as decoded. */
    public int originalHeight() {
        return originalHeight;
    }

    public Plane red() {
        return red;
    }

    public Plane green() {
        return green;
    }

    public Plane blue() {
        return blue;
    }

    /** BT.601 luma of the working copy, 0..255. */
    public Plane luma() {
        return luma;
    }

    /** Luma of the centre crop of at most {@link #NATIVE_CROP} square at the photo's own resolution. */
    public Plane nativeLuma() {
        return nativeLuma;
    }

    /**
     * The luma filtered with Immerkær's noise mask {@code [1 -2 1; -2 4 -2; 1 -2 1]} (J. Immerkær, "Fast Noise
     * Variance Estimation", CVIU 1996): on noise of standard deviation σ, its mean absolute value over an area is
     * {@code 6 σ sqrt(2/π)}; computed once, on first use.
     */
    public Plane noiseResponse() {
        if (noiseResponse == null) {
            noiseResponse = luma.filter3x3(NOISE_MASK);
        }
        return noiseResponse;
    }

    /** The values of one feature group, computed on first use. */
    double[] values(FeatureGroup group) {
        return groupValues.computeIfAbsent(group, g -> g.compute(this));
    }

    /** The horizontal Sobel derivative of the luma, {@code [-1 0 1; -2 0 2; -1 0 1]}; computed once, on first use. */
    public Plane gradientX() {
        if (gradientX == null) {
            gradientX = luma.filter3x3(SOBEL_X);
        }
        return gradientX;
    }

    /** The vertical Sobel derivative of the luma, {@code [-1 -2 -1; 0 0 0; 1 2 1]}; computed once, on first use. */
    public Plane gradientY() {
        if (gradientY == null) {
            gradientY = luma.filter3x3(SOBEL_Y);
        }
        return gradientY;
    }

    /**
     * The working copy of a decoded photo of any {@link BufferedImage} type.
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels
     */
    public static WorkingImage of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width < MIN_SIDE || height < MIN_SIDE) {
            throw new IllegalArgumentException("photo of " + width + "x" + height
                    + " pixels is too small for quality features: at least " + MIN_SIDE + "x" + MIN_SIDE + " needed");
        }
        PixelRows rows = PixelRows.of(image);
        double scale = Math.min(1.0, Math.sqrt((double) MAX_PIXELS / ((double) width * height)));
        int targetWidth = Math.max(MIN_SIDE, (int) Math.round(width * scale));
        int targetHeight = Math.max(MIN_SIDE, (int) Math.round(height * scale));
        Plane[] rgb = targetWidth == width && targetHeight == height
                ? read(rows)
                : areaAverage(rows, targetWidth, targetHeight);
        return new WorkingImage(width, height, rgb[0], rgb[1], rgb[2], nativeCropLuma(rows));
    }

    private static Plane[] read(PixelRows rows) {
        Plane red = new Plane(rows.width, rows.height);
        Plane green = new Plane(rows.width, rows.height);
        Plane blue = new Plane(rows.width, rows.height);
        float[] r = new float[rows.width];
        float[] g = new float[rows.width];
        float[] b = new float[rows.width];
        for (int y = 0; y < rows.height; y++) {
            rows.read(y, 0, rows.width, r, g, b);
            System.arraycopy(r, 0, red.data, y * rows.width, rows.width);
            System.arraycopy(g, 0, green.data, y * rows.width, rows.width);
            System.arraycopy(b, 0, blue.data, y * rows.width, rows.width);
        }
        return new Plane[] {red, green, blue};
    }

    /** One pass over the source rows: each row is reduced horizontally, then added into the target rows it covers. */
    private static Plane[] areaAverage(PixelRows rows, int targetWidth, int targetHeight) {
        Axis across = new Axis(rows.width, targetWidth);
        Axis down = new Axis(rows.height, targetHeight);
        Plane[] out = {new Plane(targetWidth, targetHeight), new Plane(targetWidth, targetHeight),
                new Plane(targetWidth, targetHeight)};
        float[][] source = new float[3][rows.width];
        float[][] reduced = new float[3][targetWidth];
        int reducedRow = -1;
        for (int ty = 0; ty < targetHeight; ty++) {
            int offset = ty * targetWidth;
            for (int sy = down.first[ty]; sy <= down.last[ty]; sy++) {
                if (sy != reducedRow) {
                    rows.read(sy, 0, rows.width, source[0], source[1], source[2]);
                    for (int c = 0; c < 3; c++) {
                        across.reduce(source[c], reduced[c]);
                    }
                    reducedRow = sy;
                }
                float weight = down.weight(ty, sy) * down.norm;
                for (int c = 0; c < 3; c++) {
                    float[] target = out[c].data;
                    float[] row = reduced[c];
                    for (int tx = 0; tx < targetWidth; tx++) {
                        target[offset + tx] += weight * row[tx];
                    }
                }
            }
        }
        return out;
    }

    private static Plane nativeCropLuma(PixelRows rows) {
        int width = Math.min(rows.width, NATIVE_CROP);
        int height = Math.min(rows.height, NATIVE_CROP);
        int x0 = ((rows.width - width) / 2) & ~7;
        int y0 = ((rows.height - height) / 2) & ~7;
        float[] r = new float[width];
        float[] g = new float[width];
        float[] b = new float[width];
        Plane luma = new Plane(width, height);
        for (int y = 0; y < height; y++) {
            rows.read(y0 + y, x0, width, r, g, b);
            for (int x = 0; x < width; x++) {
                luma.data[y * width + x] = lumaOf(r[x], g[x], b[x]);
            }
        }
        return luma;
    }

    private static Plane luma(Plane red, Plane green, Plane blue) {
        Plane luma = new Plane(red.width, red.height);
        for (int i = 0; i < luma.data.length; i++) {
            luma.data[i] = lumaOf(red.data[i], green.data[i], blue.data[i]);
        }
        return luma;
    }

    private static float lumaOf(float r, float g, float b) {
        return 0.299f * r + 0.587f * g + 0.114f * b;
    }

    /** Which source pixels each target pixel covers along one axis, and with what weight. */
    private static final class Axis {
        final int[] first;
        final int[] last;
        private final float[] firstWeight;
        private final float[] lastWeight;
        /** Target pixels per source pixel: turns a sum of covered areas into a mean. */
        final float norm;

        Axis(int source, int target) {
            double step = (double) source / target;
            first = new int[target];
            last = new int[target];
            firstWeight = new float[target];
            lastWeight = new float[target];
            norm = (float) (1.0 / step);
            for (int t = 0; t < target; t++) {
                double start = t * step;
                double end = Math.min(source, (t + 1) * step);
                first[t] = (int) Math.floor(start);
                last[t] = Math.min(source - 1, (int) Math.ceil(end) - 1);
                if (first[t] == last[t]) {
                    firstWeight[t] = (float) (end - start);
                    lastWeight[t] = firstWeight[t];
                } else {
                    firstWeight[t] = (float) (first[t] + 1 - start);
                    lastWeight[t] = (float) (end - last[t]);
                }
            }
        }

        float weight(int t, int s) {
            return s == first[t] ? firstWeight[t] : (s == last[t] ? lastWeight[t] : 1f);
        }

        /** Area-averages a source row into a target row. */
        void reduce(float[] source, float[] target) {
            for (int t = 0; t < target.length; t++) {
                int a = first[t];
                int b = last[t];
                float sum = firstWeight[t] * source[a];
                if (b > a) {
                    for (int s = a + 1; s < b; s++) {
                        sum += source[s];
                    }
                    sum += lastWeight[t] * source[b];
                }
                target[t] = sum * norm;
            }
        }
    }
}
