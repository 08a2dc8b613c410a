package dev.photoscore.local;

import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.modelpack.convert.ModelPackBuilder;
import dev.photoscore.modelpack.convert.ModelPackBuilder.WhenUnreachable;
import dev.photoscore.modelpack.convert.NimaHead;
import dev.photoscore.modelpack.convert.Precision;
import dev.photoscore.scoring.Int8RangeInputs;
import dev.photoscore.scoring.Priming;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pack --weights DIR|URL --out DIR}: the model pack build, for other NIMA weights. */
@Command(name = "pack", mixinStandardHelpOptions = true,
        description = {"Builds a model folder from NIMA Keras weights, the same way the build does.",
                "DIR or URL holds " + "weights_mobilenet_aesthetic_0.07.hdf5 and weights_mobilenet_technical_0.11.hdf5."})
final class PackCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--weights", paramLabel = "DIR|URL", description = "Folder or URL base holding both weights files"
            + " under their published names (default: idealo's published location).")
    String weights = NimaHead.PUBLISHED_BASE_URL;

    @Option(names = "--aesthetic", paramLabel = "FILE|URL", description = "The aesthetic head's weights file.")
    String aesthetic;

    @Option(names = "--technical", paramLabel = "FILE|URL", description = "The technical head's weights file.")
    String technical;

    @Option(names = "--no-verify", description = "Accept downloads that are not idealo's published files.")
    boolean noVerify;

    @Option(names = "--no-quality-model", description = "Leave the project's own quality model out: NIMA alone scores.")
    boolean noQualityModel;

    @Option(names = "--precision", paramLabel = "fp32|fp16|int8", defaultValue = "fp32",
            converter = PrecisionConverter.class, description = {"How the NIMA graph and the quality graph are stored"
                    + " (default: ${DEFAULT-VALUE}): fp16 halves the weights, int8 quantises the convolutions (see"
                    + " docs/performance.md: int8 moves the quality score by up to 0.055)."})
    Precision precision;

    @Option(names = "--int8-range-photos", paramLabel = "DIR", description = "Photos (JPEG, PNG) whose activations set"
            + " the int8 ranges of both graphs (default: the two bundled priming photos; the quality graph sees each"
            + " area-averaged to 500x500).")
    Path int8RangePhotos;

    @Option(names = "--bundled", paramLabel = "DIR", description = "Folder holding calibration.json and"
            + " quality/quality-model.onnx and .json to put in the pack instead of the built-in ones, e.g. what the"
            + " train command wrote (its --out is DIR/quality).")
    Path bundled;

    @Option(names = "--backbone", paramLabel = "FILE|DIR|URL", description = "Google's ImageNet MobileNet TensorFlow"
            + " Lite file (with its LICENSE beside it) for a quality model built on it (default: its published URL;"
            + " downloaded once, verified, cached).")
    String backbone;

    @Option(names = "--backbone-offline", paramLabel = "DIR", description = "Folder holding the backbone file and its"
            + " LICENSE, used when the backbone's URL cannot be reached (default: the shared data folder's copy when"
            + " the photoscore.shared system property names that folder).")
    Path backboneOffline;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Model folder to write (emptied first).")
    Path out;

    @Override
    public Integer call() {
        boolean int8 = precision == Precision.INT8;
        List<byte[]> photos = !int8 ? List.of() : int8RangePhotos == null ? Priming.photos() : int8RangePhotoBytes();
        ModelPackBuilder.Builder builder = ModelPackBuilder.builder();
        if (backboneOffline != null) {
            builder.backboneOffline(backboneOffline);
        }
        ModelManifest manifest = builder
                .weights(weights)
                .headWeights(NimaHead.AESTHETIC, aesthetic)
                .headWeights(NimaHead.TECHNICAL, technical)
                .verifyDownloads(!noVerify)
                .includeQualityModel(!noQualityModel)
                .precision(precision)
                .int8RangeInputs(int8 ? Int8RangeInputs.of(photos, InputSpec.nima(ModelPackBuilder.DEFAULT_RESIZE))
                        : List.of())
                .imageInt8RangeInputs(int8 && !noQualityModel ? Int8RangeInputs.qualityGraph(photos) : List.of(),
                        Int8RangeInputs.QUALITY_SIDE, Int8RangeInputs.QUALITY_SIDE)
                .bundledDir(bundled)
                .backbone(backbone)
                .whenUnreachable(WhenUnreachable.FAIL)
                .log(spec.commandLine().getErr()::println)
                .build()
                .build(out);
        spec.commandLine().getErr().println("photoscore: model pack " + manifest.packVersion() + " written to " + out
                + " with " + manifest.models().stream().map(ModelEntry::name).toList());
        return 0;
    }

    /** The JPEG and PNG photos of {@link #int8RangePhotos}, by name. */
    private List<byte[]> int8RangePhotoBytes() {
        try (Stream<Path> files = Files.list(int8RangePhotos)) {
            List<byte[]> photos = new ArrayList<>();
            for (Path file : files.filter(ScoreCommand::hasPhotoName).sorted().toList()) {
                photos.add(Files.readAllBytes(file));
            }
            if (photos.isEmpty()) {
                throw new IllegalArgumentException("no JPEG or PNG photos in " + int8RangePhotos);
            }
            return photos;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the int8 range photos in " + int8RangePhotos, e);
        }
    }

    static final class PrecisionConverter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.parse(value);
        }
    }
}
