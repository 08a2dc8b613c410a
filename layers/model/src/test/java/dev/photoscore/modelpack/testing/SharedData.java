package dev.photoscore.modelpack.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared data folder ({@code /work/shared} on the build machines), which is never copied into the
 * repository. Surefire passes it as the system property {@code photoscore.shared}; without it (an IDE run) it is
 * {@code ../shared} next to the repository root.
 */
public final class SharedData {

    private SharedData() {
    }

    public static Path directory() {
        String configured = System.getProperty("photoscore.shared");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        return repositoryRoot().resolve("../shared").normalize();
    }

    /** The file under the shared folder, or skips the calling test, saying why, when it is absent. */
    public static Path requireFile(String relativePath) {
        Path file = directory().resolve(relativePath);
        if (!Files.isRegularFile(file)) {
            Assumptions.abort("skipped: shared data file " + file + " is absent");
        }
        return file;
    }

    /** The outermost folder above the working directory that holds a pom.xml: the Maven multi-module root. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath();
        while (root.getParent() != null && Files.isRegularFile(root.getParent().resolve("pom.xml"))) {
            root = root.getParent();
        }
        return root;
    }
}
