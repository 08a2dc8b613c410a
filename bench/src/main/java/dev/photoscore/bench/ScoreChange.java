package dev.photoscore.bench;

import dev.photoscore.evaluation.Correlation;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * What the reduced decode does to the scores: every photo of {@code shared/images} and
 * {@code shared/evaldata/livec_dev/images} scored with every pixel decoded and with the scorer's reduced decode,
 * as it is (at most 1024 pixels wide: hardly reduced) and upscaled to 12 megapixels with the benchmark's grain
 * (see {@link BenchPhotos}; JPEG, as a phone would send it). Reported per set: mean and largest absolute change of
 * the score and of each NIMA mean, and Spearman's correlation of full against reduced; for the upscaled photos also
 * full against full with another draw of the grain, the change that means nothing about the photo.
 */
final class ScoreChange {

    private static final double TARGET_PIXELS = 12e6;
    /** Added to a photo's grain seed for the second draw. */
    private static final long OTHER_GRAIN = 1_000_000;

    private ScoreChange() {
    }

    /**
     * Scores of one photo, full and reduced decode: each output and the score; whether it was reduced at all; and,
     * for an upscaled photo, the full decode's scores with another draw of the grain (how much the scores move when
     * only the grain does: the yardstick for the reduced decode's change).
     */
    private record Pair(Map<String, Double> full, Map<String, Double> reduced, boolean wasReduced,
                        Map<String, Double> otherGrain) {
    }

    static void run(Path modelDir, Path shared, Path out) throws Exception {
        PhotoLimits limits = PhotoLimits.api().withoutSizeLimits();
        Map<String, List<Path>> sets = new LinkedHashMap<>();
        sets.put("shared/images", photos(shared.resolve("images")));
        sets.put("livec_dev", photos(shared.resolve("evaldata/livec_dev/images")));
        StringBuilder report = new StringBuilder();
        report.append("## Full against reduced decode: score changes\n\n")
                .append("| photos | as | compared | n | reduced | output | mean abs change | max abs change |"
                        + " Spearman |\n")
                .append("|---|---|---|---:|---:|---|---:|---:|---:|\n");
        try (PhotoScorer reduced = PhotoScorer.builder().modelDir(modelDir).threads(2).limits(limits).build();
             PhotoScorer full = PhotoScorer.builder().modelDir(modelDir).threads(2).limits(limits).fullDecode(true)
                     .build()) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (Map.Entry<String, List<Path>> set : sets.entrySet()) {
                    for (boolean upscale : new boolean[] {false, true}) {
                        List<Future<Pair>> pending = new ArrayList<>();
                        List<Path> files = set.getValue();
                        for (int i = 0; i < files.size(); i++) {
                            Path file = files.get(i);
                            long seed = i;
                            pending.add(pool.submit(() -> {
                                byte[] bytes = upscale ? upscaled(full, file, seed) : Files.readAllBytes(file);
                                DecodedPhoto small = reduced.decoder().decode(bytes);
                                Map<String, Double> otherGrain = upscale
                                        ? outputs(full.score(upscaled(full, file, OTHER_GRAIN + seed))) : null;
                                return new Pair(outputs(full.score(bytes)), outputs(reduced.score(bytes)),
                                        small.width() < small.originalWidth(), otherGrain);
                            }));
                        }
                        List<Pair> pairs = new ArrayList<>();
                        for (Future<Pair> pair : pending) {
                            pairs.add(pair.get());
                        }
                        long reducedCount = pairs.stream().filter(Pair::wasReduced).count();
                        String as = upscale ? "upscaled to 12 MP JPEG" : "as they are";
                        for (String output : pairs.get(0).full().keySet()) {
                            report.append(row(set.getKey(), as, "full / reduced", reducedCount, output,
                                    pairs.stream().mapToDouble(p -> p.full().get(output)).toArray(),
                                    pairs.stream().mapToDouble(p -> p.reduced().get(output)).toArray()));
                            if (upscale) {
                                report.append(row(set.getKey(), as, "full / full, other grain", 0, output,
                                        pairs.stream().mapToDouble(p -> p.full().get(output)).toArray(),
                                        pairs.stream().mapToDouble(p -> p.otherGrain().get(output)).toArray()));
                            }
                        }
                        System.out.println("scored " + set.getKey() + " " + as);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        System.out.println();
        System.out.print(report);
        Files.writeString(out, report);
        System.out.println("Written to " + out);
    }

    private static String row(String set, String as, String compared, long reducedCount, String output,
                              double[] a, double[] b) {
        double sum = 0;
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            double change = Math.abs(a[i] - b[i]);
            sum += change;
            max = Math.max(max, change);
        }
        return String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %s | %.5f | %.5f | %.4f |%n", set, as,
                compared, a.length, reducedCount, output, sum / a.length, max, Correlation.spearman(a, b));
    }

    private static Map<String, Double> outputs(PhotoScore score) {
        Map<String, Double> outputs = new LinkedHashMap<>(score.outputs());
        outputs.put("score", score.score());
        return outputs;
    }

    /** The photo upscaled to about 12 megapixels, aspect ratio kept, with grain, as a quality-90 JPEG. */
    private static byte[] upscaled(PhotoScorer full, Path file, long seed) throws Exception {
        var photo = full.decoder().decode(Files.readAllBytes(file)).image();
        double scale = Math.sqrt(TARGET_PIXELS / ((double) photo.getWidth() * photo.getHeight()));
        return BenchPhotos.encode(BenchPhotos.upscaledWithGrain(photo, (int) Math.round(photo.getWidth() * scale),
                (int) Math.round(photo.getHeight() * scale), seed), "jpeg");
    }

    static List<Path> photos(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(jpe?g|png)"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
