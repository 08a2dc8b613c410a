package dev.photoscore.quality.flags;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.quality.flags.FlagFixtures.Kind;
import java.awt.Color;
import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The detectors on a handful of real photos from the shared data and their strongly degraded copies, and on rendered
 * screenshots. The thresholds' recall and false-positive rates over all the shared photos are measured by
 * {@link PhotoFlagsMeasurement}.
 */
class PhotoFlagsTest {

    /**
     * Photos no detector flags as they are (of the 343 shared photos, about 1 in 12 has a flag), none 640 pixels wide:
     * shrunk to 160 pixels and enlarged back, those are enlarged exactly 4 times, which the upscale detector misses.
     */
    private static final List<String> CLEAN = List.of("images/aesthetic4.jpg", "images/technical1.jpg",
            "images/aesthetic5.jpg", "evaldata/livec_dev/images/1000.JPG");

    static List<BufferedImage> cleanPhotos() {
        Optional<Path> shared = FlagFixtures.sharedData();
        assumeTrue(shared.isPresent(), "skipped: no shared photos (set photoscore.shared)");
        List<Path> files = CLEAN.stream().map(shared.get()::resolve).toList();
        assumeTrue(files.stream().allMatch(Files::isRegularFile), "skipped: the shared data lacks one of " + CLEAN);
        return files.stream().map(FlagFixtures::decode).toList();
    }

    @Test
    void namesAndHintsAreTheApisContract() {
        assertEquals(List.of("blurred", "overexposed", "underexposed", "noisy", "compressed", "upscaled", "screenshot",
                "collage"), Arrays.stream(PhotoFlag.values()).map(PhotoFlag::jsonName).toList());
        for (PhotoFlag flag : PhotoFlag.values()) {
            assertTrue(flag.hint().endsWith(".") && flag.hint().length() > 30, flag.hint());
        }
        assertEquals(Arrays.asList(PhotoFlag.values()), PhotoFlags.DETECTORS.stream().map(FlagDetector::flag).toList());
    }

    /** A collage stands only where the classifier agrees (margin above 0); without the classifier, as raised. */
    @Test
    void aCollageStandsWhereTheClassifierAgrees() {
        List<PhotoFlag> raised = List.of(PhotoFlag.BLURRED, PhotoFlag.COLLAGE);
        assertEquals(raised, PhotoFlags.confirmed(raised, OptionalDouble.empty()));
        assertEquals(raised, PhotoFlags.confirmed(raised, OptionalDouble.of(0.3)));
        assertEquals(List.of(PhotoFlag.BLURRED), PhotoFlags.confirmed(raised, OptionalDouble.of(-0.3)));
        assertEquals(List.of(PhotoFlag.BLURRED), PhotoFlags.confirmed(raised, OptionalDouble.of(0)));
        assertEquals(List.of(PhotoFlag.UNDEREXPOSED), PhotoFlags.confirmed(List.of(PhotoFlag.UNDEREXPOSED),
                OptionalDouble.of(-1)));
    }

    @Test
    void photosSmallerThanTheFeaturesNeedAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> PhotoFlags.detect(new BufferedImage(31, 200, BufferedImage.TYPE_INT_RGB)));
    }

    @Test
    void photosAsTheyAreRaiseNoFlag() {
        for (BufferedImage photo : cleanPhotos()) {
            assertEquals(List.of(), PhotoFlags.detect(photo));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class,
            names = {"BLURRED", "DARKENED", "BLOWN_OUT", "NOISED", "RECOMPRESSED", "UPSCALED"})
    void aStrongDefectRaisesItsFlag(Kind kind) {
        List<BufferedImage> photos = cleanPhotos();
        for (int i = 0; i < photos.size(); i++) {
            List<PhotoFlag> flags = PhotoFlags.detect(FlagFixtures.degraded(photos.get(i), kind, i));
            assertTrue(flags.contains(kind.expected), CLEAN.get(i) + " " + kind + ": " + flags);
        }
    }

    @Test
    void collagesWithAndWithoutGutters() {
        List<BufferedImage> photos = cleanPhotos();
        for (int gutter : new int[] {0, 12}) {
            assertTrue(PhotoFlags.detect(FlagFixtures.asUpload(FlagFixtures.collage(photos, 2, 2, 1080, 1080, gutter,
                    Color.WHITE))).contains(PhotoFlag.COLLAGE), "2x2, gutter " + gutter);
            assertTrue(PhotoFlags.detect(FlagFixtures.asUpload(FlagFixtures.collage(photos, 3, 1, 1200, 600, gutter,
                    Color.BLACK))).contains(PhotoFlag.COLLAGE), "3x1, gutter " + gutter);
        }
    }

    @Test
    void screenshotsOfTextAndChatsAreReportedAlone() {
        assumeTrue(GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames().length > 0,
                "skipped: no fonts to render screenshots with");
        for (long seed = 0; seed < 4; seed++) {
            assertEquals(List.of(PhotoFlag.SCREENSHOT), PhotoFlags.detect(FlagFixtures.textScreenshot(seed)),
                    "text, seed " + seed);
            assertEquals(List.of(PhotoFlag.SCREENSHOT), PhotoFlags.detect(FlagFixtures.chatScreenshot(seed, null)),
                    "chat, seed " + seed);
        }
    }

    @Test
    void collagesOfMoreLayoutsWithBordersAndCaptions() {
        List<BufferedImage> four = cleanPhotos();
        List<BufferedImage> nine = IntStream.range(0, 9).mapToObj(i -> four.get(i % 4)).toList();
        for (int gutter : new int[] {0, 12}) {
            assertTrue(PhotoFlags.detect(FlagFixtures.asUpload(FlagFixtures.collage(nine, 3, 3, 1080, 1080, gutter,
                    Color.WHITE))).contains(PhotoFlag.COLLAGE), "3x3, gutter " + gutter);
        }
        Color border = new Color(0xF3E9DC);
        for (List<double[]> layout : FlagFixtures.IRREGULAR_LAYOUTS) {
            assertTrue(PhotoFlags.detect(FlagFixtures.asUpload(FlagFixtures.collage(nine, layout, 1200, 900, 16,
                    border))).contains(PhotoFlag.COLLAGE), layout.size() + " photos, irregular, 16 px borders");
        }
        assertTrue(PhotoFlags.detect(FlagFixtures.asUpload(FlagFixtures.captioned(FlagFixtures.collage(four, 2, 2,
                1080, 1080, 8, border), "Summer by the lake", border))).contains(PhotoFlag.COLLAGE), "captioned 2x2");
    }

    @Test
    void screenshotsRenderedByABrowserAreReportedAlone() {
        Optional<Path> chromium = BrowserScreenshots.chromium();
        assumeTrue(chromium.isPresent(), "skipped: no chromium to render screenshots with (set photoscore.chromium)");
        for (long seed = 0; seed < 3; seed++) {
            BufferedImage text = BrowserScreenshots.render(chromium.get(), BrowserScreenshots.textPage(seed,
                    Optional.empty()), BrowserScreenshots.DESKTOPS.get((int) seed));
            assertEquals(List.of(PhotoFlag.SCREENSHOT), PhotoFlags.detect(text), "text page, seed " + seed);
            BufferedImage chat = BrowserScreenshots.render(chromium.get(), BrowserScreenshots.chatPage(seed,
                    Optional.empty()), BrowserScreenshots.PHONES.get((int) seed));
            assertEquals(List.of(PhotoFlag.SCREENSHOT), PhotoFlags.detect(FlagFixtures.asUpload(chat)),
                    "chat, seed " + seed);
        }
    }
}
