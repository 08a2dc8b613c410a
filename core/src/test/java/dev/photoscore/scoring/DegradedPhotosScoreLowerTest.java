package dev.photoscore.scoring;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.testing.TestModelPacks;
import dev.photoscore.quality.flags.FlagFixtures;
import dev.photoscore.quality.flags.FlagFixtures.Source;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.testing.TestPhotos;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's target for the final score: a real photo's strongly degraded versions score at least one class lower than
 * the photo itself in at least 90 % of the cases. Every photo goes through the real {@link PhotoScorer} with the
 * default pack (the project's own quality model, its calibration and flag cap), as bytes, as it is and in each
 * {@link Degradation}; the table of docs/scoring.md ("Strongly degraded photos") is what this prints.
 *
 * <p>A case counts when the reference (the photo as it is; for a collage, the best of its photos) is in class 2 or
 * above: a class-1 photo cannot go lower, so those are reported apart, with how many of their degraded versions stay
 * in class 1. In the default test run the 13 sample photos and every 5th livec_dev photo are measured (about 60 CPU
 * seconds); all 343 photos (four CPU minutes) with
 * <pre>
 * mvn -B -q -pl function -am test -Dtest=DegradedPhotosScoreLowerTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dphotoscore.degraded.all=true
 * </pre>
 * {@code -Dphotoscore.degraded.dump=FILE} also writes every case as CSV.
 */
class DegradedPhotosScoreLowerTest {

    /** The share of cases that must score a class lower (issue 9). */
    private static final double AIMED_SHARE = 0.9;
    /** In the default run, every n-th livec_dev photo (in file-name order) besides the sample photos. */
    private static final int LIVEC_STRIDE = 5;
    private static final float UPLOAD_QUALITY = 0.9f;

    /** The strong degradations: each saved as an upload would be (JPEG quality 90) unless it is the JPEG itself. */
    enum Degradation {
        BLURRED("Gaussian blur, sigma 1 % of the short side (5 px on 500x500; 3.0 to 3.6 px at the working size)"),
        UNDEREXPOSED("exposed 5 stops under mid-grey (median luminance 0.0056, about 7 % in sRGB)"),
        OVEREXPOSED("exposed 2 stops over mid-grey (median luminance 0.72, about 87 % in sRGB), clipped"),
        NOISY("Gaussian noise, sigma 25 per channel"),
        COMPRESSED("saved as JPEG quality 7"),
        UPSCALED("shrunk to 1/4 of each side (area average), enlarged back (bicubic)"),
        COLLAGE_2X2("2x2 collage of the photo and the next 3, 1080x1080; 12 px gutters for every other photo"),
        COLLAGE_3X3("3x3 collage of the photo and the next 8, 1080x1080; 12 px gutters for every other photo");

        final String description;

        Degradation(String description) {
            this.description = description;
        }

        /** How many photos make one fixture of this kind. */
        int photos() {
            return switch (this) {
                case COLLAGE_2X2 -> 4;
                case COLLAGE_3X3 -> 9;
                default -> 1;
            };
        }

        /** The degraded photo as the bytes of an upload; {@code photos} holds {@link #photos()} decoded photos. */
        byte[] apply(List<BufferedImage> photos, int index, long seed) {
            BufferedImage photo = photos.get(0);
            Color gutterColour = index / 2 % 2 == 0 ? Color.WHITE : Color.BLACK;
            int gutter = index % 2 == 0 ? 12 : 0;
            BufferedImage degraded = switch (this) {
                case BLURRED -> FlagFixtures.blurred(photo, Math.min(photo.getWidth(), photo.getHeight()) / 100.0);
                case UNDEREXPOSED -> FlagFixtures.exposed(photo, -5);
                case OVEREXPOSED -> FlagFixtures.exposed(photo, 2);
                case NOISY -> FlagFixtures.noised(photo, 25, seed);
                case COMPRESSED -> photo;
                case UPSCALED -> FlagFixtures.upscaled(photo, Math.max(photo.getWidth(), photo.getHeight()) / 4);
                case COLLAGE_2X2 -> FlagFixtures.collage(photos, 2, 2, 1080, 1080, gutter, gutterColour);
                case COLLAGE_3X3 -> FlagFixtures.collage(photos, 3, 3, 1080, 1080, gutter, gutterColour);
            };
            return TestPhotos.jpeg(degraded, this == COMPRESSED ? 0.07f : UPLOAD_QUALITY, false);
        }
    }

    /** One degraded version against its reference: the photo as it is, or for a collage the best of its photos. */
    record Case(String photo, Degradation degradation, PhotoScore reference, PhotoScore degraded) {

        boolean counts() {
            return reference.qualityClass() >= 2;
        }

        boolean aClassLower() {
            return degraded.qualityClass() <= reference.qualityClass() - 1;
        }
    }

    @TempDir
    static Path tmp;

    @Test
    void stronglyDegradedPhotosScoreAClassLower() throws Exception {
        Optional<Path> shared = FlagFixtures.sharedData();
        assumeTrue(shared.isPresent(), "skipped: no shared photos (set photoscore.shared)");
        boolean all = Boolean.getBoolean("photoscore.degraded.all");
        List<Source> sources = measured(FlagFixtures.sources(shared.get()), all);
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<Case> cases;
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(TestModelPacks.offline(tmp.resolve("pack")))
                .threads(threads).limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            cases = measure(scorer, sources, threads);
        }
        String dump = System.getProperty("photoscore.degraded.dump");
        if (dump != null && !dump.isBlank()) {
            dump(cases, Path.of(dump));
        }
        System.out.println(report(cases, sources.size(), all));
        List<Case> counted = cases.stream().filter(Case::counts).toList();
        double share = share(counted, Case::aClassLower);
        assertTrue(share >= AIMED_SHARE, String.format(Locale.ROOT,
                "strongly degraded photos a class lower: %.3f of %d cases, aimed at %.2f", share, counted.size(),
                AIMED_SHARE));
    }

    /** All photos, or the sample photos and every {@link #LIVEC_STRIDE}-th livec_dev photo. */
    private static List<Source> measured(List<Source> sources, boolean all) {
        if (all) {
            return sources;
        }
        List<Source> livec = sources.stream().filter(s -> s.name().startsWith("livec/")).toList();
        List<Source> subset = new ArrayList<>(sources.stream().filter(s -> !s.name().startsWith("livec/")).toList());
        IntStream.range(0, livec.size()).filter(i -> i % LIVEC_STRIDE == 0).mapToObj(livec::get).forEach(subset::add);
        return subset;
    }

    /** Scores the photos as they are, then every degraded version; collages take the next photos in the list. */
    private static List<Case> measure(PhotoScorer scorer, List<Source> sources, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<PhotoScore> originals = all(pool, sources.stream()
                    .map(source -> (Callable<PhotoScore>) () -> score(scorer, Files.readAllBytes(source.file()))));
            List<Callable<Case>> tasks = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                for (Degradation degradation : Degradation.values()) {
                    int index = i;
                    List<Integer> members = IntStream.range(i, i + degradation.photos())
                            .map(j -> j % sources.size()).boxed().toList();
                    PhotoScore reference = members.stream().map(originals::get)
                            .max(Comparator.comparingDouble(PhotoScore::score)).orElseThrow();
                    tasks.add(() -> {
                        List<BufferedImage> photos = members.stream()
                                .map(j -> FlagFixtures.decode(sources.get(j).file())).toList();
                        String name = sources.get(index).name();
                        byte[] degraded = degradation.apply(photos, index, name.hashCode());
                        return new Case(name, degradation, reference, score(scorer, degraded));
                    });
                }
            }
            return all(pool, tasks.stream());
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> List<T> all(ExecutorService pool, Stream<Callable<T>> tasks)
            throws InterruptedException {
        List<Future<T>> futures = tasks.map(pool::submit).toList();
        List<T> results = new ArrayList<>(futures.size());
        for (Future<T> future : futures) {
            try {
                results.add(future.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    private static PhotoScore score(PhotoScorer scorer, byte[] photo) {
        try {
            return scorer.score(photo);
        } catch (PhotoRejectedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per degradation and overall: the cases a class lower, the flagged ones, and the class-1 references apart. */
    static String report(List<Case> cases, int photos, boolean all) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%d photos (%s), %d degraded versions; a case: reference (the photo, or the best photo of a collage) "
                        + "in class 2 or above%n%n", photos, all ? "all" : "sample photos and every "
                        + LIVEC_STRIDE + "th livec_dev photo", cases.size()));
        text.append("| degradation | cases | a class lower or more | flagged | mean class, reference -> degraded "
                + "| class-1 references | of them still class 1 |\n|---|---|---|---|---|---|---|\n");
        for (Degradation degradation : Degradation.values()) {
            row(text, degradation.description, cases.stream().filter(c -> c.degradation() == degradation).toList());
        }
        row(text, "**all**", cases);
        text.append("\nBy the reference's class (all degradations):\n\n"
                + "| reference class | cases | a class lower or more | flagged |\n|---|---|---|---|\n");
        for (int qualityClass = 1; qualityClass <= 5; qualityClass++) {
            int c = qualityClass;
            List<Case> in = cases.stream().filter(x -> x.reference().qualityClass() == c).toList();
            text.append(String.format(Locale.ROOT, "| %d | %d | %s | %s |%n", c, in.size(),
                    fraction(in, Case::aClassLower), fraction(in, x -> !x.degraded().flags().isEmpty())));
        }
        List<Case> missed = cases.stream().filter(c -> c.counts() && !c.aClassLower()).toList();
        text.append(String.format(Locale.ROOT, "%nNot a class lower (%d):%n", missed.size()));
        missed.forEach(c -> text.append(String.format(Locale.ROOT, "  %s, %s: %.3f (class %d) -> %.3f (class %d) %s%n",
                c.photo(), c.degradation(), c.reference().score(), c.reference().qualityClass(), c.degraded().score(),
                c.degraded().qualityClass(), c.degraded().flags().stream().map(PhotoFlag::jsonName).toList())));
        return text.toString();
    }

    private static void row(StringBuilder text, String what, List<Case> cases) {
        List<Case> counted = cases.stream().filter(Case::counts).toList();
        List<Case> classOne = cases.stream().filter(c -> !c.counts()).toList();
        text.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %.2f -> %.2f | %d | %s |%n", what,
                counted.size(), fraction(counted, Case::aClassLower),
                fraction(counted, c -> !c.degraded().flags().isEmpty()),
                counted.stream().mapToInt(c -> c.reference().qualityClass()).average().orElse(Double.NaN),
                counted.stream().mapToInt(c -> c.degraded().qualityClass()).average().orElse(Double.NaN),
                classOne.size(), fraction(classOne, c -> c.degraded().qualityClass() == 1)));
    }

    private static String fraction(List<Case> cases, Predicate<Case> which) {
        if (cases.isEmpty()) {
            return "-";
        }
        long n = cases.stream().filter(which).count();
        return String.format(Locale.ROOT, "%.2f (%d/%d)", (double) n / cases.size(), n, cases.size());
    }

    private static double share(List<Case> cases, Predicate<Case> which) {
        return (double) cases.stream().filter(which).count() / cases.size();
    }

    private static void dump(List<Case> cases, Path file) {
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println("photo,degradation,reference_score,reference_class,reference_flags,score,class,flags");
            for (Case c : cases) {
                out.println(String.format(Locale.ROOT, "%s,%s,%.5f,%d,%s,%.5f,%d,%s", c.photo(), c.degradation(),
                        c.reference().score(), c.reference().qualityClass(), flags(c.reference()),
                        c.degraded().score(), c.degraded().qualityClass(), flags(c.degraded())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String flags(PhotoScore score) {
        return String.join(" ", score.flags().stream().map(PhotoFlag::jsonName).toList());
    }
}
