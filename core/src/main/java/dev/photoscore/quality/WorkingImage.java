package dev.photoscore.quality;

import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.NativeCrop;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The copy of a photo the features are computed on: red, green, blue and luma planes (0..255) of at most
 * {@link #MAX_PIXELS} pixels (more only for panoramas so narrow that a side would fall below {@link #MIN_SIDE}),
 * plus the luma of a native-resolution centre crop ({@link NativeCrop}) for the JPEG blockiness.
 *
 * <p>Larger photos are reduced by exact area averaging (every source pixel weighs by the area it covers in the
 * target pixel), keeping the aspect ratio. The features are scale dependent (edge widths, noise and Laplacian
 * energy are in working pixels), so training and scoring must use the same working size.
 *
 * <p>The size was chosen by measurement on the LIVE In the Wild photos (500x500): cross-validated Spearman
 * correlation of the trained model was the same at 500x500 and at 362x362 and fell at 250x250, while extraction
 * time roughly halves with the area.
 *
 * <p>Whatever is computed from it (the Sobel gradients, Immerkær's noise response, each feature group's values) is
 * computed once and kept, so the features and the quality flags ({@code dev.photoscore.quality.flags}) of one photo
 * share the work. Not thread-safe: one working image per photo and thread.
 */
public final class WorkingImage {

    /** The most pixels the features are computed on: 2^17, a 362x362 square. */
    static final int MAX_PIXELS = 1 << 17;
    /** Smallest accepted width and height. */
    static final int MIN_SIDE = 32;
    /** Immerkær's noise mask, the difference of two Laplacians: zero on image structure up to second order. */
    private static final float[] NOISE_MASK = {1, -2, 1, -2, 4, -2, 1, -2, 1};

    final int originalWidth;
    final int originalHeight;
    final Plane red;
    final Plane green;
    final Plane blue;
    /** ITU-R BT.601 luma, 0.299 R + 0.587 G + 0.114 B, as MATLAB's {@code rgb2gray} used by BRISQUE. */
    final Plane luma;
    /** Luma of the photo's {@link NativeCrop}: its centre at its own resolution, on its 8x8 JPEG block grid. */
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
    private Plane halfScaleNoiseResponse;
    private final List<Plane> lumaScales = new ArrayList<>();
    private final List<Plane> mscn = new ArrayList<>();
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

    /** Luma of the photo's {@link NativeCrop}: its centre, at most 512 pixels square, at its own resolution. */
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

    /**
     * {@link #noiseResponse()} of the luma halved by 2x2 averaging ({@code luma(2)}): white noise falls to half
     * there, texture and edges do not; computed once, on first use.
     */
    public Plane halfScaleNoiseResponse() {
        if (halfScaleNoiseResponse == null) {
            halfScaleNoiseResponse = luma(2).filter3x3(NOISE_MASK);
        }
        return halfScaleNoiseResponse;
    }

    /**
     * The luma at a scale: 1 is the working luma, each further scale the one before halved by 2x2 averaging
     * ({@link Plane#halve}); computed once, on first use.
     */
    Plane luma(int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scales start at 1, got " + scale);
        }
        while (lumaScales.size() < scale) {
            lumaScales.add(lumaScales.isEmpty() ? luma : lumaScales.get(lumaScales.size() - 1).halve());
        }
        return lumaScales.get(scale - 1);
    }

    /**
     * The MSCN coefficients of {@link #luma(int) the luma at a scale} as BRISQUE defines them
     * ({@link MscnFeatures#mscn}); computed once, on first use, and shared by the BRISQUE and the log-derivative
     * features.
     */
    Plane mscn(int scale) {
        while (mscn.size() < scale) {
            mscn.add(MscnFeatures.mscn(luma(mscn.size() + 1)));
        }
        return mscn.get(scale - 1);
    }

    /** The values of one feature group, computed on first use. */
    double[] values(FeatureGroup group) {
        return groupValues.computeIfAbsent(group, g -> g.compute(this));
    }

    /** The horizontal Sobel derivative of the luma, {@code [-1 0 1; -2 0 2; -1 0 1]}; computed once, on first use. */
    public Plane gradientX() {
        computeGradients();
        return gradientX;
    }

    /** The vertical Sobel derivative of the luma, {@code [-1 -2 -1; 0 0 0; 1 2 1]}; computed once, on first use. */
    public Plane gradientY() {
        computeGradients();
        return gradientY;
    }

    /** Both Sobel derivatives, in the one pass over the luma that gives them together ({@link Plane#sobel()}). */
    private void computeGradients() {
        if (gradientX == null) {
            Plane[] sobel = luma.sobel();
            gradientX = sobel[0];
            gradientY = sobel[1];
        }
    }

    /**
     * The working copy of a photo at its own resolution, of any {@link BufferedImage} type: its native crop is cut from
     * it ({@link NativeCrop#region}).
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels
     */
    public static WorkingImage of(BufferedImage image) {
        return of(image, null);
    }

    /**
     * The working copy of a decoded photo, perhaps reduced, and its {@link DecodedPhoto#nativeCrop() native crop}
     * (null: cut from the photo, which is then at its own resolution).
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels
     */
    public static WorkingImage of(BufferedImage image, BufferedImage nativeCrop) {
        return of(image, nativeCrop, List.of());
    }

    /**
     * The working copy of a decoded photo as {@link #of(BufferedImage, BufferedImage)} and, in the same pass over the
     * photo's rows, the photo area-averaged to {@code width x height} into {@code chw}: {@code [3, height, width]}
     * RGB planes, row-major, overwritten (the quality graph's input; the same values as
     * {@link #areaAveragePlanar}).
     *
     * @throws IllegalArgumentException when the photo is smaller than 32x32 pixels, or {@code chw} is not
     *                                  {@code 3 x width x height} long
     */
    public static WorkingImage of(BufferedImage image, BufferedImage nativeCrop, int width, int height, float[] chw) {
        return of(image, nativeCrop, List.of(AreaAverage.Target.planar(width, height, chw)));
    }

    private static WorkingImage of(BufferedImage image, BufferedImage nativeCrop, List<AreaAverage.Target> also) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (width < MIN_SIDE || height < MIN_SIDE) {
            throw new IllegalArgumentException("photo of " + width + "x" + height
                    + " pixels is too small for quality features: at least " + MIN_SIDE + "x" + MIN_SIDE + " needed");
        }
        double scale = Math.min(1.0, Math.sqrt((double) MAX_PIXELS / ((double) width * height)));
        // Rounded down, so the working copy never exceeds MAX_PIXELS.
        int targetWidth = Math.max(MIN_SIDE, (int) Math.floor(width * scale));
        int targetHeight = Math.max(MIN_SIDE, (int) Math.floor(height * scale));
        // A photo within the working size is "averaged" to its own size: each value is its pixel's, exactly.
        Plane[] rgb = planes(targetWidth, targetHeight);
        List<AreaAverage.Target> targets = new ArrayList<>();
        targets.add(AreaAverage.Target.of(rgb[0], rgb[1], rgb[2]));
        targets.addAll(also);
        AreaAverage.average(image, targets);
        return new WorkingImage(width, height, rgb[0], rgb[1], rgb[2], nativeCropLuma(image, nativeCrop));
    }

    /** The luma of {@code nativeCrop}, or, when null, of the {@link NativeCrop} cut from {@code image}. */
    private static Plane nativeCropLuma(BufferedImage image, BufferedImage nativeCrop) {
        return nativeCrop == null
                ? nativeCropLuma(PixelRows.of(image), NativeCrop.region(image.getWidth(), image.getHeight()))
                : nativeCropLuma(PixelRows.of(nativeCrop), new Rectangle(nativeCrop.getWidth(), nativeCrop.getHeight()));
    }

    private static Plane[] planes(int width, int height) {
        return new Plane[] {new Plane(width, height), new Plane(width, height), new Plane(width, height)};
    }

    /**
     * The red, green and blue planes of {@code image} resized to {@code targetWidth x targetHeight} by exact area
     * averaging (see {@link AreaAxis}; enlarging allowed), as the models' area resize
     * ({@code dev.photoscore.scoring.ResizeMethod#AREA}) needs them.
     */
    public static Plane[] areaAverage(BufferedImage image, int targetWidth, int targetHeight) {
        Plane[] rgb = planes(targetWidth, targetHeight);
        AreaAverage.average(image, List.of(AreaAverage.Target.of(rgb[0], rgb[1], rgb[2])));
        return rgb;
    }

    /**
     * {@code image} area-averaged to {@code targetWidth x targetHeight} as {@code [3, height, width]} RGB planes,
     * row-major, in one array (the quality graph's input).
     */
    public static float[] areaAveragePlanar(BufferedImage image, int targetWidth, int targetHeight) {
        float[] chw = new float[Math.multiplyExact(3, Math.multiplyExact(targetWidth, targetHeight))];
        AreaAverage.average(image, List.of(AreaAverage.Target.planar(targetWidth, targetHeight, chw)));
        return chw;
    }

    /** The luma of {@code crop} of {@code rows}. */
    private static Plane nativeCropLuma(PixelRows rows, Rectangle crop) {
        int width = crop.width;
        int height = crop.height;
        int x0 = crop.x;
        int y0 = crop.y;
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
}
