package dev.photoscore.local;

import dev.photoscore.scoring.PhotoScorer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the command line finds a model pack when none is named. */
final class ModelDirs {

    private ModelDirs() {
    }

    /**
     * {@code MODEL_DIR} when set; else the pack the build made beside this jar (local/target/photoscore.jar and
     * layers/model/target/model-pack/models share the checkout); else the scorer's default, the Lambda layer's place.
     */
    static Path defaultModelDir() {
        String env = System.getenv(PhotoScorer.Builder.MODEL_DIR_VARIABLE);
        if (env != null && !env.isBlank()) {
            return PhotoScorer.Builder.defaultModelDir();
        }
        try {
            Path jar = Path.of(ModelDirs.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = jar.getParent().getParent().getParent();
            Path built = checkout.resolve("layers/model/target/model-pack/models");
            if (Files.isDirectory(built)) {
                return built;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // Not running from a checkout: fall through to the Lambda layer's place.
        }
        return PhotoScorer.Builder.LAYER_MODEL_DIR;
    }
}
