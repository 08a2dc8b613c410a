package dev.photoscore.quality;

/**
 * One channel of an image as floats, row-major, with the few filters the features need. Read-only outside this
 * package.
 *
 * <p>Filters correlate (no kernel flip) and replicate the edge pixels beyond the border, as MATLAB's
 * {@code imfilter(..., 'replicate')} does in the reference implementations of BRISQUE and GM-LOG.
 */
public final class Plane {

    /** The 3x3 Laplacian {@code [0 1 0; 1 -4 1; 0 1 0]}. */
    static final float[] LAPLACIAN = {0, 1, 0, 1, -4, 1, 0, 1, 0};
    /** The horizontal Sobel derivative {@code [-1 0 1; -2 0 2; -1 0 1]}. */
    static final float[] SOBEL_X = {-1, 0, 1, -2, 0, 2, -1, 0, 1};
    /** The vertical Sobel derivative {@code [-1 -2 -1; 0 0 0; 1 2 1]}. */
    static final float[] SOBEL_Y = {-1, -2, -1, 0, 0, 0, 1, 2, 1};

    final int width;
    final int height;
    final float[] data;

    Plane(int width, int height) {
        this(width, height, new float[Math.multiplyExact(width, height)]);
    }

    Plane(int width, int height, float[] data) {
        if (width <= 0 || height <= 0 || data.length != width * height) {
            throw new IllegalArgumentException(
                    "plane " + width + "x" + height + " cannot hold " + data.length + " values");
        }
        this.width = width;
        this.height = height;
        this.data = data;
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The value at column {@code x}, row {@code y}. */
    public float at(int x, int y) {
        return data[y * width + x];
    }

    int size() {
        return data.length;
    }

    /** Copies the values, row-major, into {@code target} from {@code offset} on (e.g. one plane of a tensor). */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(data, 0, target, offset, data.length);
    }

    double mean() {
        double sum = 0;
        for (float v : data) {
            sum += v;
        }
        return sum / data.length;
    }

    /** Population variance. */
    double variance() {
        return variance(mean());
    }

    /** Population variance about {@code mean}, this plane's {@link #mean()} computed by the caller. */
    double variance(double mean) {
        double sum = 0;
        for (float v : data) {
            double d = v - mean;
            sum += d * d;
        }
        return sum / data.length;
    }

    /** This plane correlated with the same odd-length kernel along both axes. */
    Plane filterSeparable(float[] kernel) {
        return filterSeparable(kernel, kernel);
    }

    /** This plane correlated with {@code alongX} horizontally, then with {@code alongY} vertically. */
    Plane filterSeparable(float[] alongX, float[] alongY) {
        Plane rows = new Plane(width, height);
        filterRows(alongX, rows.data);
        Plane out = new Plane(width, height);
        rows.filterColumns(alongY, out.data);
        return out;
    }

    /** This plane correlated with a 3x3 kernel given row by row. */
    Plane filter3x3(float[] kernel) {
        if (kernel.length != 9) {
            throw new IllegalArgumentException("a 3x3 kernel has 9 values, got " + kernel.length);
        }
        Plane out = new Plane(width, height);
        forEachRow3x3((above, row, below) -> {
            edges3x3(kernel, above, row, below, out.data);
            // The interior without border checks: this loop is most of the time of several features.
            for (int x = 1; x < width - 1; x++) {
                out.data[row + x] = kernel[0] * data[above + x - 1] + kernel[1] * data[above + x] + kernel[2] * data[above + x + 1]
                        + kernel[3] * data[row + x - 1] + kernel[4] * data[row + x] + kernel[5] * data[row + x + 1]
                        + kernel[6] * data[below + x - 1] + kernel[7] * data[below + x] + kernel[8] * data[below + x + 1];
            }
        });
        return out;
    }

    /**
     * {@code filter3x3(LAPLACIAN)} with the zero taps left out of the interior: the same sums in the same order, as
     * adding a product by zero changes a finite sum at most in the sign of a zero (never here, the planes being
     * non-negative), and the Laplacian's users square it.
     */
    Plane laplacian() {
        Plane out = new Plane(width, height);
        forEachRow3x3((above, row, below) -> {
            edges3x3(LAPLACIAN, above, row, below, out.data);
            for (int x = 1; x < width - 1; x++) {
                out.data[row + x] = data[above + x] + data[row + x - 1] + -4f * data[row + x] + data[row + x + 1]
                        + data[below + x];
            }
        });
        return out;
    }

    /**
     * {@code filter3x3(SOBEL_X)} and {@code filter3x3(SOBEL_Y)} in one pass, the zero taps left out of the interior
     * as in {@link #laplacian()}: {x derivative, y derivative}.
     */
    Plane[] sobel() {
        Plane gx = new Plane(width, height);
        Plane gy = new Plane(width, height);
        forEachRow3x3((above, row, below) -> {
            edges3x3(SOBEL_X, above, row, below, gx.data);
            edges3x3(SOBEL_Y, above, row, below, gy.data);
            for (int x = 1; x < width - 1; x++) {
                float a = data[above + x - 1];
                float c = data[above + x + 1];
                float g = data[below + x - 1];
                float i = data[below + x + 1];
                gx.data[row + x] = -a + c + -2f * data[row + x - 1] + 2f * data[row + x + 1] + -g + i;
                gy.data[row + x] = -a + -2f * data[above + x] + -c + g + 2f * data[below + x] + i;
            }
        });
        return new Plane[] {gx, gy};
    }

    /** One row of a 3x3 filter, given the offsets of the rows above, at and below it (the edge rows replicated). */
    private interface Row3x3 {
        void filter(int above, int row, int below);
    }

    private void forEachRow3x3(Row3x3 filter) {
        for (int y = 0; y < height; y++) {
            filter.filter(Math.max(y - 1, 0) * width, y * width, Math.min(y + 1, height - 1) * width);
        }
    }

    /** The first and last value of a row of the plane correlated with {@code kernel}, the edges replicated. */
    private void edges3x3(float[] kernel, int above, int row, int below, float[] out) {
        out[row] = at3x3(kernel, above, row, below, 0);
        if (width > 1) {
            out[row + width - 1] = at3x3(kernel, above, row, below, width - 1);
        }
    }

    private float at3x3(float[] kernel, int above, int row, int below, int x) {
        int left = Math.max(x - 1, 0);
        int right = Math.min(x + 1, width - 1);
        return kernel[0] * data[above + left] + kernel[1] * data[above + x] + kernel[2] * data[above + right]
                + kernel[3] * data[row + left] + kernel[4] * data[row + x] + kernel[5] * data[row + right]
                + kernel[6] * data[below + left] + kernel[7] * data[below + x] + kernel[8] * data[below + right];
    }

    /**
     * The sums of the values in {@code count} squares of {@code size x size} side by side, the k-th at
     * {@code left + k * pitch, top}, each summed row by row, left to right. The squares are summed together, so that
     * their additions (each square's still a chain in that order) overlap.
     */
    public double[] squareSums(int left, int top, int size, int pitch, int count) {
        return squareSums(left, top, size, pitch, count, false);
    }

    /** As {@link #squareSums} of the absolute values. */
    public double[] squareAbsoluteSums(int left, int top, int size, int pitch, int count) {
        return squareSums(left, top, size, pitch, count, true);
    }

    private double[] squareSums(int left, int top, int size, int pitch, int count, boolean absolute) {
        int right = left + Math.max(0, count - 1) * pitch + size;
        if (left < 0 || top < 0 || size < 0 || pitch < size || count < 0 || right > width || top + size > height) {
            throw new IllegalArgumentException(count + " squares of " + size + "x" + size + " every " + pitch
                    + " from " + left + "," + top + " are not inside a " + width + "x" + height + " plane");
        }
        double[] sums = new double[count];
        for (int y = top; y < top + size; y++) {
            int start = y * width + left;
            for (int dx = 0; dx < size; dx++) {
                for (int k = 0, i = start + dx; k < count; k++, i += pitch) {
                    sums[k] += absolute ? Math.abs(data[i]) : data[i];
                }
            }
        }
        return sums;
    }

    /** Half the width and height, each output pixel the mean of a 2x2 block (an odd last row or column is dropped). */
    Plane halve() {
        int w = width / 2;
        int h = height / 2;
        if (w == 0 || h == 0) {
            throw new IllegalArgumentException("a " + width + "x" + height + " plane cannot be halved");
        }
        Plane out = new Plane(w, h);
        for (int y = 0; y < h; y++) {
            int top = 2 * y * width;
            int bottom = top + width;
            for (int x = 0; x < w; x++) {
                int i = 2 * x;
                out.data[y * w + x] = 0.25f * (data[top + i] + data[top + i + 1] + data[bottom + i] + data[bottom + i + 1]);
            }
        }
        return out;
    }

    /** Element-wise product with a plane of the same size. */
    Plane times(Plane other) {
        requireSameSize(other);
        Plane out = new Plane(width, height);
        for (int i = 0; i < data.length; i++) {
            out.data[i] = data[i] * other.data[i];
        }
        return out;
    }

    private void requireSameSize(Plane other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException(
                    "planes differ in size: " + width + "x" + height + " and " + other.width + "x" + other.height);
        }
    }

    private void filterRows(float[] kernel, float[] out) {
        int radius = requireOddLength(kernel) / 2;
        int interiorEnd = width - radius;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            // Tap by tap over the whole row, so the loop vectorises; each pixel still sums its taps in order.
            for (int k = 0; k < kernel.length; k++) {
                float weight = kernel[k];
                int shift = row + k - radius;
                for (int x = radius; x < interiorEnd; x++) {
                    out[row + x] += weight * data[shift + x];
                }
            }
            for (int x = 0; x < Math.min(radius, width); x++) {
                out[row + x] = clampedRowSum(kernel, row, x);
            }
            for (int x = Math.max(radius, interiorEnd); x < width; x++) {
                out[row + x] = clampedRowSum(kernel, row, x);
            }
        }
    }

    private float clampedRowSum(float[] kernel, int row, int x) {
        int radius = kernel.length / 2;
        float sum = 0;
        for (int k = 0; k < kernel.length; k++) {
            sum += kernel[k] * data[row + clamp(x + k - radius, width)];
        }
        return sum;
    }

    private void filterColumns(float[] kernel, float[] out) {
        int radius = requireOddLength(kernel) / 2;
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int k = 0; k < kernel.length; k++) {
                float weight = kernel[k];
                int source = clamp(y + k - radius, height) * width;
                for (int x = 0; x < width; x++) {
                    out[row + x] += weight * data[source + x];
                }
            }
        }
    }

    private static int requireOddLength(float[] kernel) {
        if (kernel.length % 2 == 0) {
            throw new IllegalArgumentException("kernel length must be odd, got " + kernel.length);
        }
        return kernel.length;
    }

    private static int clamp(int i, int size) {
        return i < 0 ? 0 : (i >= size ? size - 1 : i);
    }

    /** A normalised 1-D Gaussian of the given standard deviation spanning {@code 2 * radius + 1} taps. */
    static float[] gaussianKernel(double sigma, int radius) {
        float[] kernel = new float[2 * radius + 1];
        double sum = 0;
        double[] values = new double[kernel.length];
        for (int i = -radius; i <= radius; i++) {
            values[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += values[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] = (float) (values[i] / sum);
        }
        return kernel;
    }
}
