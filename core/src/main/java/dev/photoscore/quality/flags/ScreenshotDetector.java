package dev.photoscore.quality.flags;

import dev.photoscore.quality.Plane;
import dev.photoscore.quality.WorkingImage;
import java.util.List;

/**
 * A screenshot of text or of a chat app: a rendered page, not a photo. On the working image's Sobel gradient
 * {@code |gx| + |gy|} (a step of one grey level gives up to 4):
 * <ul>
 *   <li>{@code screenshot.flat_share}: the share of pixels whose neighbourhood is exactly flat (gradient at most 2):
 *       backgrounds, bars and bubbles are drawn in one colour, while a camera's noise and texture leave almost no
 *       pixel flat.</li>
 *   <li>{@code screenshot.text_lines}: the number of text lines, found as in document layout analysis by the
 *       horizontal projection profile (G. Nagy, S. Seth, M. Viswanathan, "A prototype document image analysis
 *       system for technical journals", IEEE Computer 25(7), 1992): bands of rows holding high-contrast strokes
 *       (gradient 160 or more, a step of at least 40 grey levels), at most 1/12 of the height, with blank rows
 *       (97 % flat) right above and below.</li>
 *   <li>{@code screenshot.blank_rows}: the share of blank rows: the margins and the space between lines; at least
 *       2 %.</li>
 *   <li>{@code screenshot.top_colour_share}: the share of pixels in the most frequent colour (4 bits a channel):
 *       the background; at least 20 %.</li>
 * </ul>
 * All four must agree. A photo of a page keeps its camera noise and shading and is not a screenshot.
 */
final class ScreenshotDetector implements FlagDetector {

    private static final double MIN_FLAT_SHARE = 0.5;
    private static final int MIN_TEXT_LINES = 1;
    /**
     * 2 % and 20 %, not 10 % and 25 %: pages and chats rendered by Chromium (docs/scoring.md) have denser text and
     * bubbles that cover more of the background than the Java2D fixtures (blank rows down to 2 %, the background down
     * to 23 %); no photo as it is, professional or from livec_dev, comes near with a line of text.
     */
    private static final double MIN_BLANK_ROWS = 0.02;
    private static final double MIN_TOP_COLOUR_SHARE = 0.2;

    private static final float FLAT = 2;
    private static final float STROKE = 160;
    private static final double BLANK_ROW = 0.97;

    @Override
    public PhotoFlag flag() {
        return PhotoFlag.SCREENSHOT;
    }

    @Override
    public List<String> measureNames() {
        return List.of("screenshot.flat_share", "screenshot.text_lines", "screenshot.blank_rows",
                "screenshot.top_colour_share");
    }

    @Override
    public double[] measure(WorkingImage image) {
        Plane gx = image.gradientX();
        Plane gy = image.gradientY();
        int w = gx.width();
        int h = gx.height();
        long flat = 0;
        boolean[] strokes = new boolean[h];
        boolean[] blank = new boolean[h];
        int blankRows = 0;
        for (int y = 1; y < h - 1; y++) {
            int rowStrokes = 0;
            int rowFlat = 0;
            for (int x = 1; x < w - 1; x++) {
                float g = Math.abs(gx.at(x, y)) + Math.abs(gy.at(x, y));
                if (g <= FLAT) {
                    rowFlat++;
                } else if (g >= STROKE) {
                    rowStrokes++;
                }
            }
            flat += rowFlat;
            strokes[y] = rowStrokes >= 2;
            blank[y] = rowFlat >= BLANK_ROW * (w - 2);
            if (blank[y]) {
                blankRows++;
            }
        }
        int lines = 0;
        int y = 1;
        while (y < h - 1) {
            if (!strokes[y]) {
                y++;
                continue;
            }
            int start = y;
            while (y < h - 1 && strokes[y]) {
                y++;
            }
            if (blank[start - 1] && y < h - 1 && blank[y] && y - start <= h / 12) {
                lines++;
            }
        }
        return new double[] {flat / ((double) (w - 2) * (h - 2)), lines, (double) blankRows / (h - 2),
                topColourShare(image)};
    }

    @Override
    public boolean raised(double[] m) {
        return m[0] >= MIN_FLAT_SHARE && m[1] >= MIN_TEXT_LINES && m[2] >= MIN_BLANK_ROWS
                && m[3] >= MIN_TOP_COLOUR_SHARE;
    }

    private static double topColourShare(WorkingImage image) {
        Plane r = image.red();
        Plane g = image.green();
        Plane b = image.blue();
        int[] histogram = new int[1 << 12];
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                histogram[(int) r.at(x, y) >> 4 << 8 | (int) g.at(x, y) >> 4 << 4 | (int) b.at(x, y) >> 4]++;
            }
        }
        int top = 0;
        for (int count : histogram) {
            top = Math.max(top, count);
        }
        return (double) top / ((double) r.width() * r.height());
    }
}
