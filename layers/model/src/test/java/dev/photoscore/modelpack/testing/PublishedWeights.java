package dev.photoscore.modelpack.testing;

import dev.photoscore.modelpack.convert.Checksums;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.modelpack.convert.WeightsFetcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * idealo's published NIMA weights, when this machine has them: in {@code $PHOTOSCORE_WEIGHTS_DIR}, in the shared
 * folder's {@code models/}, or in the build's download cache; each verified by its git blob id. A user with internet
 * gets them into the cache with one {@code mvn package}.
 */
public final class PublishedWeights {

    private PublishedWeights() {
    }

    public static Optional<Path> find(NimaHead head) {
        List<Path> candidates = new ArrayList<>();
        String env = System.getenv("PHOTOSCORE_WEIGHTS_DIR");
        if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env).resolve(head.publishedFileName()));
        }
        candidates.add(SharedData.directory().resolve("models").resolve(head.publishedFileName()));
        candidates.add(WeightsFetcher.defaultCacheDir().resolve(head.publishedBlobId()).resolve(head.publishedFileName()));
        return candidates.stream()
                .filter(Files::isRegularFile)
                .filter(file -> head.publishedBlobId().equals(Checksums.gitBlobId(file)))
                .findFirst();
    }

    /** The published file of the head, or skips the calling test, saying why, when this machine lacks it. */
    public static Path require(NimaHead head) {
        return find(head).orElseGet(() -> {
            Assumptions.abort("skipped: idealo's published " + head.publishedFileName() + " is not on this machine"
                    + " (set PHOTOSCORE_WEIGHTS_DIR, or build once with internet access)");
            return null;
        });
    }
}
