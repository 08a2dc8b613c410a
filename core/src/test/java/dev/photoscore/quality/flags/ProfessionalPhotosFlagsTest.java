package dev.photoscore.quality.flags;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.quality.flags.PhotoFlagsMeasurement.Result;
import dev.photoscore.quality.flags.ProfessionalPhotos.Corpus;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's aim for the flags on professional photographs: at most 1 in 50 flagged, as the photo is installed and as
 * a typical upload of it ({@link ProfessionalPhotos}). A flag caps the score at class 1, so a false flag on a good
 * photo is the worst error the scorer can make. Prints every flagged photo with the measurements behind the flag.
 */
class ProfessionalPhotosFlagsTest {

    /** At most this share of the photos (both variants) flagged. */
    static final double AIMED_FALSE_POSITIVES = 1.0 / 50;
    /** Fewer photos than this measure nothing at the aimed rate. */
    private static final int MIN_PHOTOS = 40;

    @Test
    void professionalPhotosAreNotFlagged() throws Exception {
        Corpus corpus = ProfessionalPhotos.find(FlagFixtures.sharedData());
        assumeTrue(corpus.photos().size() >= MIN_PHOTOS, "skipped: only " + corpus.photos().size()
                + " professional photos found; missing: " + String.join(", ", corpus.missing())
                + " (.ci/run installs the packages)");
        if (!corpus.missing().isEmpty()) {
            System.out.println("professional photos: missing " + String.join(", ", corpus.missing()));
        }
        List<Result> results = ProfessionalPhotos.measure(corpus.photos());
        System.out.println(report(results));
        long flagged = results.stream().filter(r -> !r.flags().isEmpty()).count();
        assertTrue(flagged <= AIMED_FALSE_POSITIVES * results.size(), String.format(Locale.ROOT,
                "%d of %d professional photos flagged, aimed at most %.2f", flagged, results.size(),
                AIMED_FALSE_POSITIVES));
    }

    /** Per flag, how many photos raise it; then each flagged photo with its detector's measurements. */
    static String report(List<Result> results) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "Professional photos: %d images (%d photos, as installed and as a %d px JPEG q90 upload)%n",
                results.size(), results.size() / 2, ProfessionalPhotos.UPLOAD_LONG_SIDE));
        for (PhotoFlag flag : PhotoFlag.values()) {
            long n = results.stream().filter(r -> r.flags().contains(flag)).count();
            text.append(String.format(Locale.ROOT, "  %s: %d/%d%n", flag.jsonName(), n, results.size()));
        }
        long flagged = results.stream().filter(r -> !r.flags().isEmpty()).count();
        text.append(String.format(Locale.ROOT, "  any flag: %d/%d%n", flagged, results.size()));
        for (Result r : results) {
            for (PhotoFlag flag : r.flags()) {
                int d = flag.ordinal();
                text.append(String.format(Locale.ROOT, "  flagged %s %s: %s%n", r.fixture().name(), flag.jsonName(),
                        PhotoFlagsMeasurement.describe(PhotoFlags.DETECTORS.get(d), r.measures()[d])));
            }
        }
        return text.toString();
    }
}
