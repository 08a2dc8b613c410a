package dev.photoscore.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.ResizeMethod;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
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

/** {@code score PATH...}: one JSON object per photo on stdout, in the order given. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Scores photos: files, or folders searched recursively for .jpg, .jpeg and .png files.",
                "Prints one JSON object per photo; exits 1 when any photo could not be scored."})
final class ScoreCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PROGRESS_FROM = 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Photos or folders of photos.")
    List<Path> paths;

    @Mixin
    ScorerOptions scoring;

    @Option(names = "--resize", paramLabel = "METHOD", description = "nearest or area (default: the pack's).")
    String resize;

    @Option(names = "--no-size-limits", description = "Lift the API's 20 KB..10 MB upload limits (evaluation).")
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
                    out.println(JSON.writeValueAsString(result));
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

    private static ObjectNode scoreOne(PhotoScorer scorer, Path photo) {
        ObjectNode result = JSON.createObjectNode().put("file", photo.toString());
        try {
            PhotoScore score = scorer.score(Files.readAllBytes(photo));
            result.putObject("quality").put("score", round(score.score(), 4)).put("class", score.qualityClass());
            score.outputs().forEach((name, value) -> result.put(outputField(name), round(value, 2)));
            ArrayNode flags = result.putArray("flags");
            score.flags().forEach(flag -> flags.add(flag.jsonName()));
            result.put("status", "ok");
        } catch (PhotoRejectedException e) {
            result.put("status", "error").put("message", e.getMessage());
        } catch (IOException e) {
            result.put("status", "error").put("message", "cannot read the file: " + e.getMessage());
        }
        return result;
    }

    /** {@code nima.aesthetic} is printed as {@code aesthetic}: the command line's short form. */
    private static String outputField(String name) {
        return name.startsWith("nima.") ? name.substring("nima.".length()) : name.replace('.', '_');
    }

    private static double round(double value, int places) {
        return BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP).doubleValue();
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
