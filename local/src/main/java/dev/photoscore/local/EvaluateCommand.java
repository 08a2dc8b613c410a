package dev.photoscore.local;

import dev.photoscore.evaluation.Bootstrap;
import dev.photoscore.evaluation.ConfidenceInterval;
import dev.photoscore.evaluation.Correlation;
import dev.photoscore.evaluation.QuintileConfusion;
import dev.photoscore.evaluation.TrainingSplit;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.ResizeMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code evaluate DIR}: how well the scores follow human judgement on a labelled folder ({@code DIR/labels.csv}:
 * {@code file,score}, higher is better): Spearman and Pearson correlation of every model output and of the final
 * score with the labels, with bootstrap 95 % intervals, and the final score's classes against the labels' quintiles.
 * Photos the pack's quality model was or may have been trained on ({@link TrainingSplit}) are left out unless asked
 * for: their figures would flatter the model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Correlates the scores with human labels: DIR/labels.csv (file,score) and the photos in DIR (or"
                + " DIR/images). Not bound by the upload size limits. Leaves out the photos the pack's quality model"
                + " was or may have been trained on (by its provenance, quality/quality-model.json) unless"
                + " --include-training.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "Folder with labels.csv and the photos.")
    Path dir;

    @Mixin
    ScorerOptions scoring;

    @Option(names = "--only", paramLabel = "FILE",
            description = "Evaluate only the photos listed in FILE, one name a line (e.g. a held-out split).")
    Path only;

    @Option(names = "--include-training",
            description = "Also score the photos the quality model was trained on (the figures then flatter it).")
    boolean includeTraining;

    @Option(names = "--resize", paramLabel = "METHOD", description = "nearest or area (default: the pack's).")
    String resize;

    @Option(names = "--resamples", paramLabel = "N", description = "Bootstrap resamples (default 2000).")
    int resamples = 2000;

    record Labelled(String file, double label) {
    }

    record Scored(Labelled photo, PhotoScore score) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Labelled> photos = labels(dir, only);
        String trainingNote = leaveOutTraining(photos);
        PhotoScorer.Builder builder = PhotoScorer.builder()
                .modelDir(scoring.modelDir())
                .limits(PhotoLimits.api().withoutSizeLimits());
        int poolSize = scoring.threads();
        builder.threads(poolSize);
        if (resize != null) {
            builder.resize(ResizeMethod.parse(resize));
        }
        List<Scored> scored = new ArrayList<>();
        int failed = 0;
        try (PhotoScorer scorer = builder.build()) {
            err.println("photoscore: " + scorer.describe());
            ExecutorService pool = Executors.newFixedThreadPool(poolSize);
            try {
                List<Future<PhotoScore>> futures = new ArrayList<>();
                for (Labelled photo : photos) {
                    futures.add(pool.submit(() -> scorer.score(Files.readAllBytes(photoPath(photo.file())))));
                }
                for (int i = 0; i < photos.size(); i++) {
                    try {
                        scored.add(new Scored(photos.get(i), futures.get(i).get()));
                    } catch (ExecutionException e) {
                        failed++;
                        err.println("photoscore: " + photos.get(i).file() + ": " + message(e.getCause()));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        if (scored.size() < 3) {
            throw new IllegalStateException("fewer than 3 photos could be scored; nothing to correlate");
        }
        report(out, scored, failed, trainingNote);
        return 0;
    }

    /**
     * Leaves out of {@code photos} those the pack's quality model was trained on, unless {@code --include-training};
     * what was done, for the report, or null when no photo was a training photo.
     */
    private String leaveOutTraining(List<Labelled> photos) throws IOException {
        Path provenance = scoring.modelDir().resolve(ModelPackBuilder.QUALITY_PROVENANCE);
        Optional<TrainingSplit> split = TrainingSplit.read(provenance);
        if (split.isEmpty()) {
            return null;
        }
        Set<String> training = split.get().trainingPhotos(labels(dir, null).stream().map(Labelled::file).toList());
        long inThisRun = photos.stream().filter(photo -> training.contains(photo.file())).count();
        if (inThisRun == 0) {
            return null;
        }
        if (includeTraining) {
            return "including " + inThisRun + " photos the quality model was or may have been trained on: "
                    + split.get().describe() + "; these figures flatter the model";
        }
        photos.removeIf(photo -> training.contains(photo.file()));
        return "left out " + inThisRun + " photos the quality model was or may have been trained on: "
                + split.get().describe() + "; --include-training scores them too";
    }

    private void report(PrintWriter out, List<Scored> scored, int failed, String trainingNote) {
        double[] labels = scored.stream().mapToDouble(s -> s.photo().label()).toArray();
        Map<String, double[]> columns = new LinkedHashMap<>();
        for (String output : scored.get(0).score().outputs().keySet()) {
            columns.put(output, scored.stream().mapToDouble(s -> s.score().outputs().get(output)).toArray());
        }
        double[] finals = scored.stream().mapToDouble(s -> s.score().score()).toArray();
        columns.put("score (final)", finals);

        Bootstrap bootstrap = Bootstrap.builder().resamples(resamples).seed(2026).build();
        out.printf(Locale.ROOT, "%d photos scored%s, labels from %s%n", scored.size(),
                failed == 0 ? "" : " (" + failed + " failed)", dir.resolve("labels.csv"));
        if (trainingNote != null) {
            out.println(trainingNote);
        }
        out.printf(Locale.ROOT, "%-22s %-30s %-30s%n", "output", "Spearman [95% CI]", "Pearson [95% CI]");
        columns.forEach((name, values) -> {
            ConfidenceInterval spearman = bootstrap.interval(values, labels, Correlation::spearman);
            ConfidenceInterval pearson = bootstrap.interval(values, labels, Correlation::pearson);
            out.printf(Locale.ROOT, "%-22s %-30s %-30s%n", name, format(spearman), format(pearson));
        });
        double[] percent = new double[finals.length];
        for (int i = 0; i < finals.length; i++) {
            percent[i] = finals[i] * 100;
        }
        QuintileConfusion confusion = QuintileConfusion.of(percent, labels);
        out.println();
        out.println("classes of the final score (columns) against the labels' quintiles (rows):");
        out.println(confusion);
        out.flush();
    }

    private static String format(ConfidenceInterval interval) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", interval.estimate(), interval.lower(), interval.upper());
    }

    private Path photoPath(String file) {
        Path direct = dir.resolve(file);
        return Files.isRegularFile(direct) ? direct : dir.resolve("images").resolve(file);
    }

    private static String message(Throwable cause) {
        return cause instanceof PhotoRejectedException || cause instanceof IOException ? cause.getMessage()
                : cause.toString();
    }

    /** The rows of labels.csv ({@code file,score} with a header), restricted to {@code only} when given. */
    static List<Labelled> labels(Path dir, Path only) throws IOException {
        Path csv = dir.resolve("labels.csv");
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("no labels.csv in " + dir);
        }
        Set<String> wanted = null;
        if (only != null) {
            wanted = new HashSet<>();
            for (String line : Files.readAllLines(only, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    wanted.add(line.strip());
                }
            }
        }
        List<Labelled> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0) {
                throw new IllegalArgumentException(csv + " line " + (i + 1) + " is not file,score: " + line);
            }
            String file = line.substring(0, comma).strip();
            if (wanted == null || wanted.contains(file)) {
                rows.add(new Labelled(file, Double.parseDouble(line.substring(comma + 1).strip())));
            }
        }
        if (!lines.isEmpty() && !lines.get(0).toLowerCase(Locale.ROOT).startsWith("file,")) {
            throw new IllegalArgumentException(csv + " must start with the header file,score");
        }
        return rows;
    }
}
