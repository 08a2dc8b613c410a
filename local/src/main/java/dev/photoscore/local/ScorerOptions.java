package dev.photoscore.local;

import dev.photoscore.scoring.PhotoScorer;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of every command that scores photos: which model pack, and how many photos at once. */
final class ScorerOptions {

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "Model pack folder (default: $MODEL_DIR, else the pack the build made, else /opt/models).")
    Path modelDir;

    @Option(names = "--threads", paramLabel = "N", description = "Photos scored at once (default: CPU count).")
    Integer threads;

    Path modelDir() {
        return modelDir != null ? modelDir : ModelDirs.defaultModelDir();
    }

    int threads() {
        return threads != null ? threads : PhotoScorer.Builder.defaultThreads();
    }
}
