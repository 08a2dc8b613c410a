package dev.photoscore.training;

import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.scoring.PhotoScore;
import dev.photoscore.scoring.PhotoScorer;
import dev.photoscore.scoring.ScorerUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The NIMA heads' means of the photos of a feature table, as further inputs of the quality model: computed by the
 * scorer itself on a pack with the heads, as it will compute them when it scores with the trained model (every pixel
 * decoded, as with the quality model; the pack's resize).
 */
final class NimaInputs {

    /** The calibration variant that takes exactly the NIMA means: scoring with it runs the heads alone. */
    static final String VARIANT = "nima-prior";

    private NimaInputs() {
    }

    /**
     * The table with the NIMA means after the features, named as the pack names them ({@code nima.aesthetic},
     * {@code nima.technical}).
     *
     * @throws IOException when a photo cannot be read, or the pack has no NIMA heads
     */
    static FeatureTable append(FeatureTable table, Path dataFolder, Path pack) throws IOException {
        List<String> names = null;
        double[][] values = new double[table.size()][];
        try (PhotoScorer scorer = PhotoScorer.builder().modelDir(pack).variant(VARIANT).fullDecode(true).threads(1)
                .limits(PhotoLimits.api().withoutSizeLimits()).build()) {
            for (int i = 0; i < table.size(); i++) {
                Path file = dataFolder.resolve(table.files().get(i));
                PhotoScore score;
                try {
                    score = scorer.score(Files.readAllBytes(file));
                } catch (PhotoRejectedException e) {
                    throw new IOException(file + ": " + e.getMessage(), e);
                }
                if (names == null) {
                    names = new ArrayList<>(score.outputs().keySet());
                } else if (!names.equals(new ArrayList<>(score.outputs().keySet()))) {
                    throw new IllegalStateException("the NIMA outputs changed between photos: " + names + " and "
                            + score.outputs().keySet());
                }
                values[i] = names.stream().mapToDouble(score.outputs()::get).toArray();
            }
        } catch (ScorerUnavailableException e) {
            throw new IOException("no NIMA heads to take inputs from in " + pack + ": " + e.getMessage(), e);
        }
        return table.withColumns(names, values);
    }
}
