package dev.photoscore.modelpack.testing;

import dev.photoscore.modelpack.build.ModelPackBuilder;
import dev.photoscore.modelpack.build.NimaHead;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model packs built by the real builder for the tests: from small generated weights, or from given files. */
public final class TestModelPacks {

    private TestModelPacks() {
    }

    /** A pack whose NIMA heads are small random networks (seeded, so every run builds the same pack). */
    public static Path smallNima(Path dir) {
        try {
            Path weights = Files.createDirectories(dir.resolve("weights"));
            KerasWeightsFixture.builder().seed(21).widths(KerasWeightsFixture.SMALL_WIDTHS)
                    .write(weights.resolve(NimaHead.AESTHETIC.publishedFileName()));
            KerasWeightsFixture.builder().seed(22).widths(KerasWeightsFixture.SMALL_WIDTHS)
                    .write(weights.resolve(NimaHead.TECHNICAL.publishedFileName()));
            return fromWeights(weights.resolve(NimaHead.AESTHETIC.publishedFileName()),
                    weights.resolve(NimaHead.TECHNICAL.publishedFileName()), dir.resolve("pack"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A pack of NIMA heads alone (no quality model), so NIMA's outputs make the score. */
    public static Path fromWeights(Path aesthetic, Path technical, Path out) {
        ModelPackBuilder.builder().weights("")
                .headWeights(NimaHead.AESTHETIC, aesthetic.toString())
                .headWeights(NimaHead.TECHNICAL, technical.toString())
                .includeQualityModel(false)
                .log(line -> { })
                .build()
                .build(out);
        return out;
    }

    /** A pack without any model. */
    public static Path withoutModels(Path out) {
        ModelPackBuilder.builder().weights("").includeQualityModel(false).log(line -> { }).build().build(out);
        return out;
    }

    /** The pack an offline build makes: the project's own quality model, no NIMA heads. */
    public static Path offline(Path out) {
        ModelPackBuilder.builder().weights("").log(line -> { }).build().build(out);
        return out;
    }
}
