package dev.photoscore.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.ResizeMethod;
import dev.photoscore.service.ScoreJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code score PATH...}: one JSON object per photo on stdout, in the order given: its file, and the API's answer with
 * details ({@link ScoreJson}).
 */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores photos: files, or folders searched recursively for .jpg, .jpeg and .png files.",
                "Prints one JSON object per photo; exits 1 when any photo could not be scored."})
final class ScoreCommand implements Callable<Integer> {

    private static final int PROGRESS_FROM = 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Photos or folders of photos.")
    List<Path> paths;

    @Mixin
    ScorerOptions scoring;

    @Option(names = "--resize", paramLabel = "METHOD", description = "nearest or area (default: the pack's).")
    String resize;

    @Option(names = "--no-size-limits", description = "Lift the API's upload size limits (evaluation).")
    boolean noSizeLimits;

    @Override
    public Integer call() throws IOException, InterruptedException {
        List<Path> photos = collect(paths);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int poolSize = scoring.threads();
        PhotoScorer.Builder builder = PhotoScorer.builder()
                .modelDir(scoring.modelDir())
                .threads(poolSize)
                .limits(noSizeLimits ? PhotoLimits.api().withoutSizeLimits() : PhotoLimits.api());
        if (resize != null) {
            builder.resize(ResizeMethod.parse(resize));
        }
        int failures = 0;
        try (PhotoScorer scorer = builder.build()) {
            err.println("photoscore: " + scorer.describe());
            ExecutorService pool = Executors.newFixedThreadPool(poolSize);
            try {
                List<Future<ObjectNode>> results = new ArrayList<>();
                for (Path photo : photos) {
                    results.add(pool.submit(() -> scoreOne(scorer, photo)));
                }
                for (int i = 0; i < results.size(); i++) {
                    ObjectNode result = results.get(i).get();
                    if (!"ok".equals(result.path("status").asText())) {
                        failures++;
                    }
                    out.println(ScoreJson.line(result));
                    out.flush();
                    if (photos.size() >= PROGRESS_FROM && ((i + 1) % 10 == 0 || i + 1 == photos.size())) {
                        err.printf(Locale.ROOT, "photoscore: %d/%d scored%n", i + 1, photos.size());
                    }
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("scoring failed unexpectedly: " + e.getCause(), e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        return failures == 0 ? 0 : 1;
    }

    /** The photo's line: its file, then the API's view of its score with details, or the error view. */
    private static ObjectNode scoreOne(PhotoScorer scorer, Path photo) {
        ObjectNode result = ScoreJson.object().put("file", photo.toString());
        try {
            return result.setAll(ScoreJson.score(scorer.score(Files.readAllBytes(photo)), true));
        } catch (PhotoRejectedException e) {
            return result.setAll(ScoreJson.error(e.getMessage()));
        } catch (IOException e) {
            return result.setAll(ScoreJson.error("cannot read the file: " + e.getMessage()));
        }
    }

    /** Files as given; folders walked recursively for photo file names, in a stable order. */
    static List<Path> collect(List<Path> paths) throws IOException {
        List<Path> photos = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(ScoreCommand::hasPhotoName).sorted().forEach(photos::add);
                }
            } else {
                photos.add(path);
            }
        }
        return photos;
    }

    /** Named {@code .jpg}, {@code .jpeg} or {@code .png}, in any case. */
    static boolean hasPhotoName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png");
    }
}
