package dev.photoscore.modelpack.testing;

import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.NimaHead;
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
        NimaWeights weights = smallWeights(dir);
        return fromWeights(weights.aesthetic(), weights.technical(), dir.resolve("pack"));
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

    /**
     * A pack of NIMA heads with the calibration and quality model of a folder laid out as the bundled files are
     * ({@code calibration.json}, {@code quality/quality-model.onnx} and {@code .json}: a train command's output), or
     * with the built-in ones when {@code bundled} is null.
     */
    public static Path withBundled(Path aesthetic, Path technical, Path bundled, Path out) {
        ModelPackBuilder.builder().weights("")
                .headWeights(NimaHead.AESTHETIC, aesthetic.toString())
                .headWeights(NimaHead.TECHNICAL, technical.toString())
                .bundledDir(bundled)
                .log(line -> { })
                .build()
                .build(out);
        return out;
    }

    /** Weights files of both NIMA heads. */
    public record NimaWeights(Path aesthetic, Path technical) {
    }

    /**
     * The shared layout specimen (MobileNet at full width, random weights) for both heads when it is there, else
     * small generated heads, saying so: for tests that need NIMA heads but not their values.
     */
    public static NimaWeights specimenOrSmall(Path dir) {
        Path specimen = SharedData.directory().resolve("models/layout_specimen_random.h5");
        if (Files.isRegularFile(specimen)) {
            return new NimaWeights(specimen, specimen);
        }
        System.out.println("shared data file " + specimen + " is absent: small generated NIMA heads instead");
        return smallWeights(dir);
    }

    /** Small random heads' weights (seeded), written under {@code dir/weights} with the published file names. */
    public static NimaWeights smallWeights(Path dir) {
        try {
            Path weights = Files.createDirectories(dir.resolve("weights"));
            Path aesthetic = weights.resolve(NimaHead.AESTHETIC.publishedFileName());
            Path technical = weights.resolve(NimaHead.TECHNICAL.publishedFileName());
            KerasWeightsFixture.builder().seed(21).widths(KerasWeightsFixture.SMALL_WIDTHS).write(aesthetic);
            KerasWeightsFixture.builder().seed(22).widths(KerasWeightsFixture.SMALL_WIDTHS).write(technical);
            return new NimaWeights(aesthetic, technical);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
