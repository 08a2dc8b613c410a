package dev.photoscore.quality.flags;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A collage: photos side by side, split by straight lines that run the full width or height. On the working luma,
 * at least 10 % away from the borders (so letterbox bars and frames do not count):
 * <ul>
 *   <li>{@code collage.vertical_gutter}, {@code collage.horizontal_gutter}: a gutter is a band of at least two
 *       columns (rows) of one flat colour over the whole height (width), 97 % of each line within 3 grey levels,
 *       narrower than a tenth of the image. Its measure is the share of positions along the band where the content
 *       two lines beyond it differs from the gutter's colour by more than 8 grey levels, the lesser of the two
 *       sides: a crushed shadow or a blown sky fades into its surroundings, a gutter stands out against them.</li>
 *   <li>{@code collage.seam1}, {@code collage.seam2}: collages without gutters meet at seams: at every position
 *       along a seam the luma steps (a difference of at least 12 across it, twice any difference 2 to 4 lines to
 *       either side). A line's seam score is the share of positions that step, less the second highest share among
 *       the lines 3 to 12 away: so natural edges that wander, and the periodic lines of a JPEG block grid or a
 *       tiled wall, do not score. The two best seams of either direction are reported.</li>
 *   <li>{@code collage.part_seam}: the best seam of the other direction inside either part the best seam splits the
 *       image into (a part of at least a fifth of it), as in a guillotine cut: where the photos of an irregular
 *       collage meet within one of its columns or rows.</li>
 * </ul>
 * A gutter, two seams, or a seam and a seam across one of its parts make a collage. A straight, level horizon or a
 * door frame is one seam, not two; a chessboard photographed square-on is the known exception.
 */
final class CollageDetector implements FlagDetector {

    private static final double MIN_GUTTER_CONTRAST = 0.3;
    private static final double MIN_BEST_SEAM = 0.4;
    /**
     * 0.2, not 0.25: on the area-averaged working image a seam between two working pixels blurs over two lines; a 3x1
     * collage without gutters then scores 0.23 on its weaker seam. Re-measured at 0.2 (PhotoFlagsMeasurement, held-out
     * photos): collage recall 0.96, false positives 0.02.
     */
    private static final double MIN_SECOND_SEAM = 0.2;
    /**
     * An irregular collage (a large photo beside two stacked ones) has one full seam and a seam across one of its
     * parts: with the part seam at 0.4 or more, a best seam of 0.35 suffices. Chosen on the tuning photos: irregular
     * collages without borders 0.73 -> 0.90, the photos as they are flagged 8 -> 9 of 351 (held out: 8 of 331 both).
     */
    private static final double MIN_BEST_SEAM_WITH_PART = 0.35;
    private static final double MIN_PART_SEAM = 0.4;
    private static final int PART_GAP = 3;

    private static final int FLAT_LEVELS = 3;
    private static final double FLAT_SHARE = 0.97;
    private static final float GUTTER_CONTRAST_LEVELS = 8;
    private static final float SEAM_STEP = 12;
    private static final int SEAM_REACH = 12;

    @Override
    public PhotoFlag flag() {
        return PhotoFlag.COLLAGE;
    }

    @Override
    public List<String> measureNames() {
        return List.of("collage.vertical_gutter", "collage.horizontal_gutter", "collage.seam1", "collage.seam2",
                "collage.part_seam");
    }

    @Override
    public double[] measure(WorkingImage image) {
        Plane luma = image.luma();
        int width = luma.width();
        int height = luma.height();
        float[] pixels = new float[width * height];
        luma.copyTo(pixels, 0);
        Lines columns = new Lines(pixels, width, height, true);
        Lines rows = new Lines(pixels, width, height, false);
        List<Seam> seams = new ArrayList<>(seams(columns));
        seams.addAll(seams(rows));
        seams.sort(Comparator.comparingDouble(Seam::score));
        int n = seams.size();
        byte[] levels = levels(pixels);
        return new double[] {gutter(columns, levels), gutter(rows, levels), n > 0 ? seams.get(n - 1).score() : 0,
                n > 1 ? seams.get(n - 2).score() : 0, n > 0 ? partSeam(pixels, width, height, seams.get(n - 1)) : 0};
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] >= MIN_GUTTER_CONTRAST || m[1] >= MIN_GUTTER_CONTRAST
                || (m[2] >= MIN_BEST_SEAM && m[3] >= MIN_SECOND_SEAM)
                || (m[2] >= MIN_BEST_SEAM_WITH_PART && m[4] >= MIN_PART_SEAM);
    }

    /**
     * The best seam across one of the two parts the best seam splits the image into, in the other direction: where
     * an irregular collage's photos meet inside a column or a row of it (a large photo beside two stacked ones).
     * Each part is taken {@value #PART_GAP} lines clear of the seam, which blurs over two lines of the working image,
     * and only a part of at least a fifth of the image counts.
     */
    static double partSeam(float[] pixels, int width, int height, Seam best) {
        double score = 0;
        int extent = best.columns() ? width : height;
        int[][] parts = {{0, best.line() - PART_GAP}, {best.line() + PART_GAP + 1, extent}};
        for (int[] part : parts) {
            int size = part[1] - part[0];
            if (size < extent / 5) {
                continue;
            }
            int partWidth = best.columns() ? size : width;
            int partHeight = best.columns() ? height : size;
            float[] inside = new float[partWidth * partHeight];
            for (int y = 0; y < partHeight; y++) {
                for (int x = 0; x < partWidth; x++) {
                    inside[y * partWidth + x] = best.columns() ? pixels[y * width + part[0] + x]
                            : pixels[(part[0] + y) * width + x];
                }
            }
            for (Seam seam : seams(new Lines(inside, partWidth, partHeight, !best.columns()))) {
                score = Math.max(score, seam.score());
            }
        }
        return score;
    }

    /**
     * A row-major luma seen as lines: its columns or its rows. Neighbouring lines are {@code across} apart in the
     * array, neighbouring positions along a line {@code along} apart.
     */
    record Lines(float[] pixels, int width, int height, boolean columns) {

        int count() {
            return columns ? width : height;
        }

        int length() {
            return columns ? height : width;
        }

        int across() {
            return columns ? 1 : width;
        }

        int along() {
            return columns ? width : 1;
        }

        float at(int line, int i) {
            return pixels[line * across() + i * along()];
        }
    }

    /** Each pixel's grey level, 0..255 as unsigned bytes: what {@link #gutter} counts in either direction. */
    private static byte[] levels(float[] pixels) {
        byte[] levels = new byte[pixels.length];
        for (int p = 0; p < pixels.length; p++) {
            levels[p] = (byte) Math.min(255, Math.max(0, Math.round(pixels[p])));
        }
        return levels;
    }

    /** The best gutter's contrast with its surroundings, 0 without a gutter; {@code grey} is {@link #levels}. */
    static double gutter(Lines luma, byte[] grey) {
        int lines = luma.count();
        int length = luma.length();
        int across = luma.across();
        int along = luma.along();
        boolean[] flat = new boolean[lines];
        int[] levels = new int[lines];
        int[] histogram = new int[256];
        for (int line = 0; line < lines; line++) {
            Arrays.fill(histogram, 0);
            for (int i = 0, p = line * across; i < length; i++, p += along) {
                histogram[grey[p] & 0xff]++;
            }
            int mode = 0;
            for (int v = 1; v < 256; v++) {
                if (histogram[v] > histogram[mode]) {
                    mode = v;
                }
            }
            int near = 0;
            for (int v = Math.max(0, mode - FLAT_LEVELS); v <= Math.min(255, mode + FLAT_LEVELS); v++) {
                near += histogram[v];
            }
            flat[line] = near >= FLAT_SHARE * length;
            levels[line] = mode;
        }
        int margin = lines / 10;
        double best = 0;
        int line = margin;
        while (line < lines - margin) {
            if (!flat[line]) {
                line++;
                continue;
            }
            int start = line;
            while (line < lines && flat[line] && Math.abs(levels[line] - levels[start]) <= FLAT_LEVELS) {
                line++;
            }
            int end = line - 1;
            if (end > start && start > margin && end < lines - margin && end - start < lines / 10) {
                best = Math.max(best, Math.min(contrast(luma, start - 2, levels[start]),
                        contrast(luma, end + 2, levels[start])));
            }
        }
        return best;
    }

    /** Share of the positions along a line whose luma differs from {@code level} by more than 8. */
    private static double contrast(Lines luma, int line, int level) {
        int differing = 0;
        for (int i = 0; i < luma.length(); i++) {
            if (Math.abs(luma.at(line, i) - level) > GUTTER_CONTRAST_LEVELS) {
                differing++;
            }
        }
        return (double) differing / luma.length();
    }

    /** Whether the luma steps across the line at {@code p}, lines {@code across} apart: see the class comment. */
    private static boolean steps(float[] pixels, int p, int across) {
        float step = Math.abs(pixels[p + across] - pixels[p - across]);
        if (step < SEAM_STEP) {
            return false;
        }
        float before = Math.abs(pixels[p - 2 * across] - pixels[p - 4 * across]);
        float after = Math.abs(pixels[p + 4 * across] - pixels[p + 2 * across]);
        return step >= 2 * Math.max(before, after);
    }

    /** A seam candidate: its score, the line it runs along, and whether that line is a column. */
    record Seam(double score, int line, boolean columns) {
    }

    /** The seam candidates in one direction: local maxima above 0.15. */
    static List<Seam> seams(Lines luma) {
        int lines = luma.count();
        float[] pixels = luma.pixels();
        int across = luma.across();
        int width = luma.width();
        int[] steps = new int[lines];
        // Pixel by pixel in memory order whichever the direction: much faster than walking down the columns.
        if (luma.columns()) {
            for (int y = 0; y < luma.height(); y++) {
                for (int x = 4, p = y * width + 4; x < width - 4; x++, p++) {
                    if (steps(pixels, p, across)) {
                        steps[x]++;
                    }
                }
            }
        } else {
            for (int y = 4; y < lines - 4; y++) {
                int count = 0;
                for (int p = y * width; p < (y + 1) * width; p++) {
                    if (steps(pixels, p, across)) {
                        count++;
                    }
                }
                steps[y] = count;
            }
        }
        double[] share = new double[lines];
        for (int line = 0; line < lines; line++) {
            share[line] = (double) steps[line] / luma.length();
        }
        int margin = Math.max(SEAM_REACH, lines / 10);
        double[] score = new double[lines];
        double[] around = new double[2 * (SEAM_REACH - 2)];
        for (int line = margin; line < lines - margin; line++) {
            int n = 0;
            for (int j = line - SEAM_REACH; j <= line + SEAM_REACH; j++) {
                if (Math.abs(j - line) > 2) {
                    around[n++] = share[j];
                }
            }
            Arrays.sort(around, 0, n);
            score[line] = share[line] - around[n - 2];
        }
        List<Seam> peaks = new ArrayList<>();
        for (int line = margin; line < lines - margin; line++) {
            boolean peak = score[line] > 0.15;
            for (int j = Math.max(0, line - 3); j <= Math.min(lines - 1, line + 3) && peak; j++) {
                peak = score[j] < score[line] || (score[j] == score[line] && j >= line);
            }
            if (peak) {
                peaks.add(new Seam(score[line], line, luma.columns()));
            }
        }
        return peaks;
    }
}
