package dev.photoscore.training;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's target for professional photographs: at least 90 % of them in class 4 or 5 ("good" or "excellent"),
 * measured on the measuring half of the professional photos' split, which no training or calibration saw
 * (docs/scoring.md, "Professional photos"). Every photo goes as its bytes through the real {@link PhotoScorer} with
 * the pack an offline build makes: the committed quality model, its calibration and the flags. Skipped, naming what
 * is missing, unless every photo of the half is on this machine ({@code .ci/run} installs the packages).
 */
class ProfessionalPhotosClassTest {

    /** The share of the measuring half that must reach class 4 or 5 (issue 14). */
    private static final double AIMED_SHARE = 0.9;
    /** The split, relative to the local module's folder (the tests' working directory). */
    private static final Path SPLIT = Path.of("splits", "professional-photos.txt");

    @TempDir
    static Path tmp;

    @Test
    void professionalPhotosOfTheMeasuringHalfScoreGoodOrExcellent() throws Exception {
        List<ProfessionalPhoto> measuring = ProfessionalPhoto.half(ProfessionalPhoto.read(SPLIT),
                ProfessionalPhoto.MEASURE);
        Optional<Path> shared = Optional.of(SharedData.directory()).filter(Files::isDirectory);
        List<Path> files = new ArrayList<>();
        Set<String> missing = new LinkedHashSet<>();
        for (ProfessionalPhoto photo : measuring) {
            Optional<Path> file = photo.location(shared).filter(Files::isRegularFile);
            file.ifPresentOrElse(files::add, () -> missing.add(photo.source()));
        }
        assumeTrue(missing.isEmpty(), "skipped: professional photos missing from " + String.join(", ", missing));

        int good = 0;
        StringBuilder report = new StringBuilder();
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(TestModelPacks.offline(tmp.resolve("pack")))
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            for (int i = 0; i < files.size(); i++) {
                PhotoScore score = scorer.score(Files.readAllBytes(files.get(i)));
                good += score.qualityClass() >= 4 ? 1 : 0;
                report.append(String.format(Locale.ROOT, "%.4f  class %d  mos %5.1f  %s%s%n", score.score(),
                        score.qualityClass(), score.outputs().get("quality.mos"), measuring.get(i).path(),
                        score.flags().isEmpty() ? "" : "  " + score.flags()));
            }
        }
        double share = good / (double) files.size();
        System.out.printf(Locale.ROOT, "professional photos, measuring half: %d of %d (%.3f) in class 4 or 5%n%s",
                good, files.size(), share, report);
        assertTrue(share >= AIMED_SHARE, String.format(Locale.ROOT,
                "professional photos in class 4 or 5: %.3f of %d, aimed at %.2f%n%s", share, files.size(),
                AIMED_SHARE, report));
    }
}
