package dev.photoscore.quality.flags;

import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.testing.TestPhotos;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The photos the flag detectors are tuned and measured on: real photos from the shared data, the same photos with
 * one strong defect each, collages of them, and rendered screenshots of text and of a chat app. Every fixture but the
 * recompressed one is saved as a JPEG of quality 90 and decoded again, as an upload would be; screenshots of odd
 * seed stay PNG. Public for the API and scorer tests, which need a blurred photo, and for the scorer's measurement
 * of degraded photos ({@code DegradedPhotosScoreLowerTest}).
 */
public final class FlagFixtures {

    /** Thresholds are chosen on the tuning photos (even file numbers) and reported on the held-out ones (odd). */
    public enum Split { TUNING, HELD_OUT }

    /** What a fixture is, and the flag it must raise (none for the photos as they are). */
    public enum Kind {
        ORIGINAL(null, true, "photo as it is"),
        BLURRED(PhotoFlag.BLURRED, true, "Gaussian blur, sigma = 1 % of the short side"),
        BLURRED_MODERATELY(PhotoFlag.BLURRED, false, "Gaussian blur, sigma = 0.5 % of the short side"),
        DARKENED(PhotoFlag.UNDEREXPOSED, true, "exposed 5 stops under mid-grey"),
        BLOWN_OUT(PhotoFlag.OVEREXPOSED, true, "exposed 2 stops over mid-grey, clipped"),
        NOISED(PhotoFlag.NOISY, true, "Gaussian noise, sigma 25 per channel"),
        RECOMPRESSED(PhotoFlag.COMPRESSED, true, "JPEG quality 7"),
        UPSCALED(PhotoFlag.UPSCALED, true, "shrunk to 160 px (long side), enlarged back (bicubic)"),
        UPSCALED_TWICE(PhotoFlag.UPSCALED, false, "shrunk to half, enlarged back 2x (bicubic)"),
        SCREENSHOT_TEXT(PhotoFlag.SCREENSHOT, true, "page of text drawn with Java2D (phone or desktop)"),
        SCREENSHOT_CHAT(PhotoFlag.SCREENSHOT, true, "chat app drawn with Java2D (phone)"),
        COLLAGE_2X2_GUTTERS(PhotoFlag.COLLAGE, true, "2x2 collage, 12 px gutters"),
        COLLAGE_2X2(PhotoFlag.COLLAGE, true, "2x2 collage, no gutters"),
        COLLAGE_3X1_GUTTERS(PhotoFlag.COLLAGE, true, "3x1 collage, 12 px gutters"),
        COLLAGE_3X1(PhotoFlag.COLLAGE, true, "3x1 collage, no gutters"),
        COLLAGE_3X3_GUTTERS(PhotoFlag.COLLAGE, true, "3x3 collage, 12 px gutters"),
        COLLAGE_3X3(PhotoFlag.COLLAGE, true, "3x3 collage, no gutters"),
        COLLAGE_IRREGULAR_BORDERS(PhotoFlag.COLLAGE, true, "irregular collage (4 layouts), 16 px borders"),
        COLLAGE_IRREGULAR(PhotoFlag.COLLAGE, true, "irregular collage (4 layouts), no borders"),
        COLLAGE_CAPTIONED(PhotoFlag.COLLAGE, true, "2x2 collage, 8 px borders, a caption band below"),
        SCREENSHOT_BROWSER_TEXT(PhotoFlag.SCREENSHOT, true, "page of text rendered by Chromium (phone or desktop)"),
        SCREENSHOT_BROWSER_CHAT(PhotoFlag.SCREENSHOT, true, "chat app rendered by Chromium (phone)"),
        PROFESSIONAL(null, true, "professional photo, as installed and as a 1600 px upload");

        final PhotoFlag expected;
        /** Whether it is one of the strong degradations the detectors aim at (the rest shows where they stop). */
        final boolean strong;
        final String description;

        Kind(PhotoFlag expected, boolean strong, String description) {
            this.expected = expected;
            this.strong = strong;
            this.description = description;
        }
    }

    public record Source(Path file, String name, Split split) {
    }

    record Fixture(String name, Split split, Kind kind, BufferedImage image) {
    }

    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.[A-Za-z]+$");
    private static final PhotoDecoder DECODER = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());

    private FlagFixtures() {
    }

    /** The shared data folder ({@code photoscore.shared}, else {@code ../shared}), when it holds photos. */
    public static Optional<Path> sharedData() {
        Path shared = Path.of(System.getProperty("photoscore.shared", "../shared"));
        return Files.isDirectory(shared.resolve("evaldata/livec_dev/images")) || Files.isDirectory(shared.resolve("images"))
                ? Optional.of(shared) : Optional.empty();
    }

    /** The sample photos and the livec_dev photos, in a stable order, each in the split of its file number. */
    public static List<Source> sources(Path shared) {
        List<Source> sources = new ArrayList<>();
        for (String folder : List.of("images", "evaldata/livec_dev/images")) {
            Path dir = shared.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(FlagFixtures::isPhoto).sorted().forEach(file -> {
                    Matcher number = NUMBER.matcher(file.getFileName().toString());
                    Split split = number.find() && Long.parseLong(number.group(1)) % 2 == 0 ? Split.TUNING
                            : Split.HELD_OUT;
                    sources.add(new Source(file, folder.startsWith("images") ? "images/" + file.getFileName()
                            : "livec/" + file.getFileName(), split));
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static boolean isPhoto(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }

    /** The photo upright in RGB, as the scorer decodes it. */
    public static BufferedImage decode(Path file) {
        try {
            return DECODER.decode(Files.readAllBytes(file)).image();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (PhotoRejectedException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    /** The kinds made from one photo, the photo itself included. */
    static final Set<Kind> FROM_ONE_PHOTO = EnumSet.range(Kind.ORIGINAL, Kind.UPSCALED_TWICE);

    /** The photo with the defect of {@code kind} (one of {@link #FROM_ONE_PHOTO}), saved as an upload would be. */
    static BufferedImage degraded(BufferedImage photo, Kind kind, long seed) {
        double shortSide = Math.min(photo.getWidth(), photo.getHeight());
        return switch (kind) {
            case ORIGINAL -> photo;
            case BLURRED -> asUpload(blurred(photo, shortSide / 100));
            case BLURRED_MODERATELY -> asUpload(blurred(photo, shortSide / 200));
            case DARKENED -> asUpload(exposed(photo, -5));
            case BLOWN_OUT -> asUpload(exposed(photo, 2));
            case NOISED -> asUpload(noised(photo, 25, seed));
            case RECOMPRESSED -> jpegRoundTrip(photo, 0.07f);
            case UPSCALED -> asUpload(upscaled(photo, 160));
            case UPSCALED_TWICE -> asUpload(upscaled(photo, Math.max(photo.getWidth(), photo.getHeight()) / 2));
            default -> throw new IllegalArgumentException(kind + " is not made from one photo");
        };
    }

    /** Saved as a JPEG of quality 90 and decoded again, as an upload would be. */
    static BufferedImage asUpload(BufferedImage image) {
        return jpegRoundTrip(image, 0.9f);
    }

    static BufferedImage jpegRoundTrip(BufferedImage image, float quality) {
        try {
            return DECODER.decode(TestPhotos.jpeg(image, quality, false)).image();
        } catch (PhotoRejectedException e) {
            throw new IllegalStateException(e);
        }
    }

    static BufferedImage pngRoundTrip(BufferedImage image) {
        try {
            return DECODER.decode(TestPhotos.png(image)).image();
        } catch (PhotoRejectedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Each channel blurred by a Gaussian of standard deviation {@code sigma} pixels, edges extended. */
    public static BufferedImage blurred(BufferedImage image, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        float[] kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }
        for (int i = 0; i < kernel.length; i++) {
            kernel[i] /= sum;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        float[][] channels = channels(image);
        for (float[] channel : channels) {
            float[] across = new float[channel.length];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * channel[y * w + Math.min(w - 1, Math.max(0, x + k))];
                    }
                    across[y * w + x] = v;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float v = 0;
                    for (int k = -radius; k <= radius; k++) {
                        v += kernel[k + radius] * across[Math.min(h - 1, Math.max(0, y + k)) * w + x];
                    }
                    channel[y * w + x] = v;
                }
            }
        }
        return image(channels, w, h);
    }

    /**
     * The photo exposed {@code stops} away from mid-grey: linear light scaled so that the median luminance becomes
     * {@code 0.18 * 2^stops} (sRGB decoded and encoded again, clipped). Relative to the photo's own exposure, so that a
     * night shot and a snow scene come out equally under- or over-exposed.
     */
    public static BufferedImage exposed(BufferedImage image, double stops) {
        float[][] channels = channels(image);
        int n = channels[0].length;
        double[] luminance = new double[n];
        for (int i = 0; i < n; i++) {
            luminance[i] = 0.2126 * toLinear(channels[0][i] / 255) + 0.7152 * toLinear(channels[1][i] / 255)
                    + 0.0722 * toLinear(channels[2][i] / 255);
        }
        Arrays.sort(luminance);
        double gain = 0.18 * Math.pow(2, stops) / Math.max(1e-4, luminance[n / 2]);
        for (float[] channel : channels) {
            for (int i = 0; i < n; i++) {
                channel[i] = (float) (255 * toSrgb(gain * toLinear(channel[i] / 255)));
            }
        }
        return image(channels, image.getWidth(), image.getHeight());
    }

    private static double toLinear(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static double toSrgb(double v) {
        double c = Math.min(1, Math.max(0, v));
        return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
    }

    /** Independent Gaussian noise of standard deviation {@code sigma} added to each channel of each pixel. */
    public static BufferedImage noised(BufferedImage image, double sigma, long seed) {
        Random random = new Random(seed);
        float[][] channels = channels(image);
        for (float[] channel : channels) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] += (float) (sigma * random.nextGaussian());
            }
        }
        return image(channels, image.getWidth(), image.getHeight());
    }

    /** Area-averaged down to {@code longSide} pixels on the long side, then enlarged back with bicubic interpolation. */
    public static BufferedImage upscaled(BufferedImage image, int longSide) {
        int w = image.getWidth();
        int h = image.getHeight();
        double scale = (double) longSide / Math.max(w, h);
        int sw = Math.max(1, (int) Math.round(w * scale));
        int sh = Math.max(1, (int) Math.round(h * scale));
        BufferedImage small = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = small.createGraphics();
        g.drawImage(image.getScaledInstance(sw, sh, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return TestPhotos.bicubic(small, w, h);
    }

    /**
     * Photos tiled {@code columns x rows} on a {@code width x height} canvas, each centre-cropped to fill its tile,
     * with gutters (and an outer border) of {@code gutter} pixels of {@code gutterColour} between them.
     */
    public static BufferedImage collage(List<BufferedImage> photos, int columns, int rows, int width, int height, int gutter,
                                 Color gutterColour) {
        List<double[]> cells = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                cells.add(new double[] {(double) c / columns, (double) r / rows, 1.0 / columns, 1.0 / rows});
            }
        }
        return collage(photos, cells, width, height, gutter, gutterColour);
    }

    /**
     * Photos in the given cells ({@code x, y, width, height} as fractions of the canvas) on a {@code width x height}
     * canvas, each centre-cropped to fill its cell, with gutters (and an outer border) of {@code gutter} pixels.
     */
    static BufferedImage collage(List<BufferedImage> photos, List<double[]> cells, int width, int height, int gutter,
                                 Color gutterColour) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(gutterColour);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        for (int i = 0; i < cells.size(); i++) {
            double[] cell = cells.get(i);
            int dx = gutter + (int) Math.round(cell[0] * (width - gutter));
            int dy = gutter + (int) Math.round(cell[1] * (height - gutter));
            int tileWidth = gutter + (int) Math.round((cell[0] + cell[2]) * (width - gutter)) - gutter - dx;
            int tileHeight = gutter + (int) Math.round((cell[1] + cell[3]) * (height - gutter)) - gutter - dy;
            BufferedImage photo = photos.get(i);
            double scale = Math.max((double) tileWidth / photo.getWidth(), (double) tileHeight / photo.getHeight());
            int cropWidth = (int) Math.round(tileWidth / scale);
            int cropHeight = (int) Math.round(tileHeight / scale);
            int sx = (photo.getWidth() - cropWidth) / 2;
            int sy = (photo.getHeight() - cropHeight) / 2;
            g.drawImage(photo, dx, dy, dx + tileWidth, dy + tileHeight, sx, sy, sx + cropWidth, sy + cropHeight,
                    null);
        }
        g.dispose();
        return out;
    }

    /**
     * The nine collage fixtures of up to nine photos (2x2, 3x1, 3x3, irregular, with and without gutters or borders,
     * captioned), each saved as an upload; {@code seed} picks the gutters' and borders' colours, the irregular layout
     * and the caption.
     */
    public static Map<Kind, BufferedImage> collages(List<BufferedImage> photos, int seed) {
        Color gutter = seed % 2 == 0 ? Color.WHITE : Color.BLACK;
        Random random = new Random(seed);
        Color border = new Color(Color.HSBtoRGB(random.nextFloat(), random.nextFloat() * 0.6f,
                random.nextBoolean() ? 0.95f : 0.15f));
        List<double[]> layout = IRREGULAR_LAYOUTS.get(seed % IRREGULAR_LAYOUTS.size());
        Map<Kind, BufferedImage> collages = new EnumMap<>(Kind.class);
        collages.put(Kind.COLLAGE_3X3_GUTTERS, asUpload(collage(photos, 3, 3, 1080, 1080, 12, gutter)));
        collages.put(Kind.COLLAGE_3X3, asUpload(collage(photos, 3, 3, 1080, 1080, 0, gutter)));
        collages.put(Kind.COLLAGE_IRREGULAR_BORDERS, asUpload(collage(photos, layout, 1200, 900, 16, border)));
        collages.put(Kind.COLLAGE_IRREGULAR, asUpload(collage(photos, layout, 1200, 900, 0, border)));
        collages.put(Kind.COLLAGE_CAPTIONED, asUpload(captioned(collage(photos, 2, 2, 1080, 1080, 8, border),
                sentence(random, 3), border)));
        collages.put(Kind.COLLAGE_2X2_GUTTERS, asUpload(collage(photos, 2, 2, 1080, 1080, 12, gutter)));
        collages.put(Kind.COLLAGE_2X2, asUpload(collage(photos, 2, 2, 1080, 1080, 0, gutter)));
        collages.put(Kind.COLLAGE_3X1_GUTTERS, asUpload(collage(photos, 3, 1, 1200, 600, 12, gutter)));
        collages.put(Kind.COLLAGE_3X1, asUpload(collage(photos, 3, 1, 1200, 600, 0, gutter)));
        return collages;
    }

    /** Irregular layouts as real collage apps make them: {@code x, y, width, height} of each cell. */
    static final List<List<double[]>> IRREGULAR_LAYOUTS = List.of(
            // a large photo on the left, two stacked on the right
            List.of(new double[] {0, 0, 2 / 3.0, 1}, new double[] {2 / 3.0, 0, 1 / 3.0, 0.5},
                    new double[] {2 / 3.0, 0.5, 1 / 3.0, 0.5}),
            // one across the top, three below
            List.of(new double[] {0, 0, 1, 0.6}, new double[] {0, 0.6, 1 / 3.0, 0.4},
                    new double[] {1 / 3.0, 0.6, 1 / 3.0, 0.4}, new double[] {2 / 3.0, 0.6, 1 / 3.0, 0.4}),
            // two columns whose rows do not line up
            List.of(new double[] {0, 0, 0.5, 0.35}, new double[] {0, 0.35, 0.5, 0.65}, new double[] {0.5, 0, 0.5, 0.6},
                    new double[] {0.5, 0.6, 0.5, 0.4}),
            // a large photo in the middle of a 3x3 frame of small ones
            List.of(new double[] {0, 0, 1 / 3.0, 1 / 3.0}, new double[] {1 / 3.0, 0, 1 / 3.0, 1 / 3.0},
                    new double[] {2 / 3.0, 0, 1 / 3.0, 1 / 3.0}, new double[] {0, 1 / 3.0, 1 / 3.0, 2 / 3.0},
                    new double[] {1 / 3.0, 1 / 3.0, 2 / 3.0, 2 / 3.0}));

    /** The collage with a caption band of {@code band} colour under it, the text in a large font. */
    static BufferedImage captioned(BufferedImage collage, String caption, Color band) {
        int strip = collage.getHeight() / 8;
        BufferedImage out = new BufferedImage(collage.getWidth(), collage.getHeight() + strip,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        g.setColor(band);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(collage, 0, 0, null);
        g.setColor(band.getRed() + band.getGreen() + band.getBlue() > 384 ? new Color(0x202020) : Color.WHITE);
        g.setFont(new Font(Font.SERIF, Font.ITALIC, strip / 2));
        FontMetrics metrics = g.getFontMetrics();
        g.drawString(caption, (out.getWidth() - metrics.stringWidth(caption)) / 2,
                collage.getHeight() + (strip + metrics.getAscent()) / 2 - metrics.getDescent());
        g.dispose();
        return out;
    }

    static final String[] WORDS = ("the of and to in is you that it he was for on are as with his they at be "
            + "this have from or one had by word but not what all were we when your can said there use an each which "
            + "she do how their if will up other about out many then them these so some her would make like him into "
            + "time has look two more write go see number no way could people my than first water been call who oil "
            + "its now find long down day did get come made may part meeting tomorrow photo great thanks okay sure "
            + "tonight weekend price delivery address payment order message").split(" ");

    /** A screenshot of a page of text: a phone or desktop page with a bar at the top, paragraphs, a bar below. */
    static BufferedImage textScreenshot(long seed) {
        Random random = new Random(seed);
        boolean phone = random.nextBoolean();
        int width = phone ? 1080 : (random.nextBoolean() ? 1366 : 1280);
        int height = phone ? (random.nextBoolean() ? 1920 : 2340) : (width == 1366 ? 768 : 800);
        boolean dark = random.nextInt(5) == 0;
        Color background = dark ? new Color(0x121212) : (random.nextBoolean() ? Color.WHITE : new Color(0xF7F7F7));
        Color ink = dark ? new Color(0xE0E0E0) : new Color(0x202124);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        int scale = phone ? 3 : 1;
        int bar = 56 * scale;
        g.setColor(new Color(Color.HSBtoRGB(random.nextFloat(), 0.6f, dark ? 0.35f : 0.75f)));
        g.fillRect(0, 0, width, bar);
        g.setColor(Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20 * scale));
        g.drawString(sentence(random, 3), 24 * scale, bar * 2 / 3);
        String family = List.of(Font.SANS_SERIF, Font.SERIF, "DejaVu Sans", Font.MONOSPACED).get(random.nextInt(4));
        Font body = new Font(family, Font.PLAIN, (13 + random.nextInt(5)) * scale);
        g.setFont(body);
        FontMetrics metrics = g.getFontMetrics();
        int margin = (16 + random.nextInt(40)) * scale;
        int lineHeight = (int) Math.round(metrics.getHeight() * (1.2 + 0.3 * random.nextDouble()));
        int y = bar + lineHeight + 8 * scale;
        int bottomBar = phone ? 48 * scale : 0;
        while (y < height - bottomBar - lineHeight) {
            if (random.nextInt(6) == 0) {
                g.setFont(body.deriveFont(Font.BOLD, body.getSize2D() * 1.3f));
                g.drawString(sentence(random, 2 + random.nextInt(4)), margin, y);
                g.setFont(body);
                y += lineHeight * 3 / 2;
                continue;
            }
            int lines = 2 + random.nextInt(6);
            for (int l = 0; l < lines && y < height - bottomBar - lineHeight; l++) {
                g.setColor(random.nextInt(12) == 0 ? new Color(0x1A73E8) : ink);
                String line = fill(random, metrics, width - 2 * margin - (l == lines - 1 ? width / 3 : 0));
                g.drawString(line, margin, y);
                y += lineHeight;
            }
            y += lineHeight / 2;
        }
        if (phone) {
            g.setColor(dark ? new Color(0x1E1E1E) : new Color(0xEEEEEE));
            g.fillRect(0, height - bottomBar, width, bottomBar);
            g.setColor(dark ? new Color(0x9E9E9E) : new Color(0x5F6368));
            for (int i = 0; i < 4; i++) {
                g.fillOval(width * (2 * i + 1) / 8 - 10 * scale, height - bottomBar / 2 - 10 * scale, 20 * scale,
                        20 * scale);
            }
        }
        g.dispose();
        return out;
    }

    /** A screenshot of a chat app on a phone: a coloured top bar, bubbles left and right, an input bar below. */
    static BufferedImage chatScreenshot(long seed, BufferedImage photo) {
        Random random = new Random(seed);
        int width = 1080;
        int height = random.nextBoolean() ? 1920 : 2340;
        boolean dark = random.nextInt(4) == 0;
        Color background = dark ? new Color(0x0B141A)
                : List.of(Color.WHITE, new Color(0xECE5DD), new Color(0xDCE3EA)).get(random.nextInt(3));
        Color theirs = dark ? new Color(0x202C33) : (background.equals(Color.WHITE) ? new Color(0xEFEFF4) : Color.WHITE);
        Color mine = dark ? new Color(0x005C4B)
                : List.of(new Color(0xDCF8C6), new Color(0x2B8CF6), new Color(0xEFFDDE)).get(random.nextInt(3));
        Color mineInk = mine.equals(new Color(0x2B8CF6)) ? Color.WHITE : (dark ? new Color(0xE9EDEF) : Color.BLACK);
        Color theirInk = dark ? new Color(0xE9EDEF) : Color.BLACK;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(out);
        g.setColor(background);
        g.fillRect(0, 0, width, height);
        int bar = 170;
        g.setColor(dark ? new Color(0x202C33) : List.of(new Color(0x075E54), new Color(0x517DA2), Color.WHITE)
                .get(random.nextInt(3)));
        Color barColour = g.getColor();
        g.fillRect(0, 0, width, bar);
        g.setColor(barColour.equals(Color.WHITE) ? Color.BLACK : Color.WHITE);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 36));
        g.drawString("12:" + (10 + random.nextInt(50)), 40, 50);
        g.fillOval(110, 75, 80, 80);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 48));
        g.drawString(capitalised(WORDS[random.nextInt(WORDS.length)]) + " " + capitalised(WORDS[random.nextInt(WORDS.length)]),
                220, 130);
        Font body = new Font(random.nextBoolean() ? Font.SANS_SERIF : "DejaVu Sans", Font.PLAIN, 40 + random.nextInt(8));
        g.setFont(body);
        FontMetrics metrics = g.getFontMetrics();
        int input = 150;
        int y = bar + 30;
        boolean photoShown = photo == null || random.nextInt(3) != 0;
        while (true) {
            boolean isMine = random.nextBoolean();
            int maxText = width * 7 / 10;
            if (!photoShown && random.nextInt(4) == 0) {
                int bubbleWidth = width * 6 / 10;
                int bubbleHeight = bubbleWidth * photo.getHeight() / photo.getWidth();
                if (y + bubbleHeight + 20 > height - input) {
                    break;
                }
                int x = isMine ? width - 30 - bubbleWidth - 16 : 30;
                g.setColor(isMine ? mine : theirs);
                g.fillRoundRect(x, y, bubbleWidth + 16, bubbleHeight + 16, 30, 30);
                g.drawImage(photo, x + 8, y + 8, bubbleWidth, bubbleHeight, null);
                y += bubbleHeight + 16 + 24;
                photoShown = true;
                continue;
            }
            int lines = 1 + random.nextInt(3);
            List<String> text = new ArrayList<>();
            int textWidth = 0;
            for (int l = 0; l < lines; l++) {
                String line = fill(random, metrics, (int) (maxText * (0.3 + 0.7 * random.nextDouble())));
                text.add(line);
                textWidth = Math.max(textWidth, metrics.stringWidth(line));
            }
            int bubbleWidth = textWidth + 60 + 90;
            int bubbleHeight = lines * metrics.getHeight() + 50;
            if (y + bubbleHeight + 20 > height - input) {
                break;
            }
            int x = isMine ? width - 30 - bubbleWidth : 30;
            g.setColor(isMine ? mine : theirs);
            g.fillRoundRect(x, y, bubbleWidth, bubbleHeight, 36, 36);
            g.setColor(isMine ? mineInk : theirInk);
            for (int l = 0; l < lines; l++) {
                g.drawString(text.get(l), x + 30, y + 25 + metrics.getAscent() + l * metrics.getHeight());
            }
            g.setFont(body.deriveFont(body.getSize2D() * 0.6f));
            g.drawString(random.nextInt(24) + ":" + (10 + random.nextInt(50)), x + bubbleWidth - 110,
                    y + bubbleHeight - 18);
            g.setFont(body);
            y += bubbleHeight + 12 + random.nextInt(24);
        }
        g.setColor(dark ? new Color(0x202C33) : new Color(0xF0F0F0));
        g.fillRect(0, height - input, width, input);
        g.setColor(dark ? new Color(0x2A3942) : Color.WHITE);
        g.fillRoundRect(30, height - input + 25, width - 200, input - 50, 100, 100);
        g.setColor(new Color(0x8696A0));
        g.drawString("Message", 80, height - input / 2 + 14);
        g.setColor(new Color(0x00A884));
        g.fillOval(width - 140, height - input + 20, 110, 110);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(8));
        g.drawLine(width - 110, height - input / 2 + 5, width - 60, height - input / 2 + 5);
        g.dispose();
        return out;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        return g;
    }

    static String sentence(Random random, int words) {
        StringBuilder text = new StringBuilder(capitalised(WORDS[random.nextInt(WORDS.length)]));
        for (int i = 1; i < words; i++) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** Random words up to {@code width} pixels in the current font. */
    private static String fill(Random random, FontMetrics metrics, int width) {
        StringBuilder line = new StringBuilder(capitalised(WORDS[random.nextInt(WORDS.length)]));
        while (true) {
            String word = WORDS[random.nextInt(WORDS.length)];
            if (metrics.stringWidth(line + " " + word) > width) {
                return line.toString();
            }
            line.append(' ').append(word).append(random.nextInt(9) == 0 ? "," : "");
        }
    }

    static String capitalised(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static float[][] channels(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        float[][] channels = new float[3][rgb.length];
        for (int i = 0; i < rgb.length; i++) {
            channels[0][i] = rgb[i] >> 16 & 0xff;
            channels[1][i] = rgb[i] >> 8 & 0xff;
            channels[2][i] = rgb[i] & 0xff;
        }
        return channels;
    }

    private static BufferedImage image(float[][] channels, int w, int h) {
        int[] rgb = new int[w * h];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = clip(channels[0][i]) << 16 | clip(channels[1][i]) << 8 | clip(channels[2][i]);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int clip(float v) {
        return Math.max(0, Math.min(255, Math.round(v)));
    }
}
