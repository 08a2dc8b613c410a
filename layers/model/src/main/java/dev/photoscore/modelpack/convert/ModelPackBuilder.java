package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ImageInput;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.modelpack.ModelManifest.WeightsProvenance;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Builds a model pack folder: the NIMA heads converted to ONNX (when their weights can be had), the bundled files
 * (calibration, the project's own quality model) and {@code manifest.json}.
 *
 * <p>A bundled quality model whose provenance names a {@code backbone} is a head on the ImageNet MobileNet's
 * features: the builder converts Google's TensorFlow Lite file ({@link ImagenetBackbone}, from its URL, verified,
 * cached; an offline copy when the URL cannot be reached) for the provenance's {@link BackboneSpec}, composes it
 * with the head into one graph from the photo to the score, and puts the model's licence and a NOTICE into the pack.
 *
 * <p>Weights come from a folder holding the published file names, one file or URL per head, or a URL base (default:
 * idealo's published location). Downloads are cached and verified against the published git blob ids. When the
 * weights cannot be downloaded, the builder can go on without the NIMA heads ({@link WhenUnreachable#SKIP}, the
 * Maven build's choice, saying so in one line) or stop ({@link WhenUnreachable#FAIL}, the {@code pack} command's).
 */
public final class ModelPackBuilder {

    /** The ONNX file holding the NIMA heads and its model name in the manifest. */
    public static final String NIMA_MODEL = "nima";
    public static final String NIMA_FILE = "nima.onnx";
    /** The project's own quality model, trained by the {@code train} command; see docs/scoring.md. */
    public static final String QUALITY_MODEL = "quality";
    public static final String QUALITY_FILE = "quality/quality-model.onnx";
    public static final String QUALITY_PROVENANCE = "quality/quality-model.json";
    /**
     * The collage classifier, a head on the same backbone features composed into the quality graph (output
     * {@value ModelManifest#COLLAGE_OUTPUT}), and its provenance, which stays in the pack; see docs/scoring.md,
     * "Flags and hints".
     */
    public static final String COLLAGE_CLASSIFIER_FILE = "flags/collage-classifier.onnx";
    public static final String COLLAGE_CLASSIFIER_PROVENANCE = "flags/collage-classifier.json";

    /** Where the ImageNet backbone's licence and NOTICE go in the pack. */
    public static final String BACKBONE_LICENSE_DIR = "licenses/imagenet-mobilenet-v1";

    /** The resize recorded in the manifest unless {@link Builder#resize} says otherwise. */
    public static final String DEFAULT_RESIZE = "nearest";

    private static final String BUNDLED = "/dev/photoscore/modelpack/pack/";

    /** What to do when weights cannot be downloaded. */
    public enum WhenUnreachable { SKIP, FAIL }

    private final Map<NimaHead, String> locations;
    private final boolean verifyDownloads;
    private final WhenUnreachable whenUnreachable;
    private final WeightsFetcher fetcher;
    private final String resize;
    private final Path bundledDir;
    private final boolean includeQualityModel;
    private final Precision precision;
    private final List<float[]> int8RangeInputs;
    private final List<float[]> imageInt8RangeInputs;
    private final long[] imageCalibrationShape;
    private final String backboneLocation;
    private final Path backboneOffline;
    private final Consumer<String> log;

    private ModelPackBuilder(Builder builder) {
        this.locations = new EnumMap<>(builder.locations);
        this.verifyDownloads = builder.verifyDownloads;
        this.whenUnreachable = builder.whenUnreachable;
        this.fetcher = builder.fetcher != null ? builder.fetcher : WeightsFetcher.builder().build();
        this.resize = builder.resize;
        this.bundledDir = builder.bundledDir;
        this.includeQualityModel = builder.includeQualityModel;
        this.precision = builder.precision;
        this.int8RangeInputs = List.copyOf(builder.int8RangeInputs);
        this.imageInt8RangeInputs = builder.imageInt8RangeInputs;
        this.imageCalibrationShape = builder.imageCalibrationShape;
        this.backboneLocation = builder.backboneLocation;
        this.backboneOffline = builder.backboneOffline;
        this.log = builder.log;
        if (precision == Precision.INT8 && int8RangeInputs.isEmpty()
                && locations.values().stream().anyMatch(location -> location != null && !location.isBlank())) {
            throw new IllegalArgumentException("int8 precision of the NIMA graph needs calibration inputs (photos as"
                    + " model input tensors)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Writes the pack into {@code outDir} (emptied first) and returns its manifest. */
    public ModelManifest build(Path outDir) {
        Map<String, Path> weightFiles = new LinkedHashMap<>();
        List<WeightsProvenance> provenance = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        for (NimaHead head : NimaHead.values()) {
            String location = locations.get(head);
            if (location == null || location.isBlank()) {
                continue;
            }
            try {
                Path file = resolve(head, location);
                weightFiles.put(head.id(), file);
                String blobId = Checksums.gitBlobId(file);
                provenance.add(new WeightsProvenance(head.id(), location, blobId, Checksums.sha256(file),
                        blobId.equals(head.publishedBlobId())));
            } catch (WeightsUnreachableException e) {
                if (whenUnreachable == WhenUnreachable.FAIL) {
                    throw e;
                }
                unreachable.add(e.getMessage());
            }
        }
        if (!unreachable.isEmpty()) {
            notes.add("NIMA weights not reachable (" + String.join("; ", unreachable)
                    + "): the pack is built without the NIMA heads");
            log.accept("photoscore: " + notes.get(notes.size() - 1));
        }
        try {
            deleteRecursively(outDir);
            Files.createDirectories(outDir);
            List<ModelEntry> models = new ArrayList<>();
            if (weightFiles.size() == NimaHead.values().length) {
                models.add(writeNima(outDir, weightFiles, provenance));
                if (precision != Precision.FP32) {
                    notes.add(NIMA_FILE + " is " + precision.label() + (precision == Precision.INT8
                            ? " (activation ranges from " + int8RangeInputs.size() + " calibration photos)" : ""));
                }
            } else if (!weightFiles.isEmpty()) {
                notes.add("only the " + weightFiles.keySet() + " NIMA weights were found; NIMA needs both heads");
                log.accept("photoscore: " + notes.get(notes.size() - 1));
            }
            Calibration calibration = copyBundled(Calibration.FILE_NAME, outDir)
                    .map(Calibration::read)
                    .orElseThrow(() -> new IllegalStateException("the calibration is not bundled with the builder"));
            if (includeQualityModel && copyBundled(QUALITY_FILE, outDir).isPresent()) {
                copyBundled(QUALITY_PROVENANCE, outDir);
                JsonNode trained = new ObjectMapper().readTree(outDir.resolve(QUALITY_PROVENANCE).toFile());
                if (!trained.has("backbone")) {
                    // Models on the handcrafted features (kind quality-features) are no longer trained or scored.
                    throw new IllegalStateException("the quality model " + QUALITY_FILE + " names no backbone in "
                            + QUALITY_PROVENANCE + ": it was trained by an older photoscore on the handcrafted"
                            + " features, which this one no longer scores with; train it again (the train command)");
                }
                imageQualityEntry(outDir, trained, notes).ifPresent(models::add);
            }
            ModelManifest manifest = new ModelManifest(ModelManifest.FORMAT, packVersion(models, calibration),
                    InputSpec.nima(resize), models, Calibration.FILE_NAME, calibration.version(), notes);
            manifest.write(outDir);
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the model pack to " + outDir, e);
        }
    }

    private Path resolve(NimaHead head, String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            URI url = URI.create(location.endsWith("/") ? location + head.publishedFileName() : location);
            return fetcher.fetch(url, verifyDownloads ? head.publishedBlobId() : null);
        }
        Path path = Path.of(location);
        Path file = Files.isDirectory(path) ? path.resolve(head.publishedFileName()) : path;
        if (!Files.isRegularFile(file)) {
            throw new InvalidWeightsException("no " + head.id() + " weights at " + file
                    + " (expected the published file " + head.publishedFileName() + ")");
        }
        return file;
    }

    private ModelEntry writeNima(Path outDir, Map<String, Path> weightFiles, List<WeightsProvenance> provenance)
            throws IOException {
        Map<String, KerasWeightsFile> heads = new LinkedHashMap<>();
        weightFiles.forEach((head, file) -> heads.put(head, KerasWeightsFile.read(file)));
        ModelProto model = precision.apply(NimaOnnxConverter.convert(heads), int8RangeInputs);
        Path file = outDir.resolve(NIMA_FILE);
        Files.write(file, model.toByteArray());
        log.accept("photoscore: NIMA heads " + heads.keySet() + " converted to " + file + " (" + precision.label()
                + ")");
        return new ModelEntry(NIMA_MODEL, NIMA_FILE, "nima-mobilenet", List.copyOf(heads.keySet()), null, null,
                Checksums.sha256(file), provenance, null);
    }

    /**
     * The quality model as one graph from the photo to the score: the ImageNet backbone converted for the spec in
     * the head's provenance ({@code backbone.spec}; {@code backbone.sourceBlobId}, default the published file;
     * {@code backbone.workingPixels}, the photo size the head was trained at), composed with the bundled head, which
     * the composed graph replaces. Empty, with a note, when the backbone cannot be had and the build may go on
     * without ({@link WhenUnreachable#SKIP}); the quality files are then removed from the pack.
     */
    private Optional<ModelEntry> imageQualityEntry(Path outDir, JsonNode provenance, List<String> notes)
            throws IOException {
        JsonNode backbone = provenance.path("backbone");
        if (!backbone.path("spec").isTextual()) {
            throw new IllegalStateException(QUALITY_PROVENANCE + " names a backbone without its spec"
                    + " (backbone.spec, e.g. \"" + BackboneSpec.DEFAULT.text() + "\")");
        }
        BackboneSpec spec = BackboneSpec.parse(backbone.path("spec").asText());
        String expectedBlobId = backbone.path("sourceBlobId").asText(ImagenetBackbone.BLOB_ID);
        Integer workingPixels = backbone.path("workingPixels").isInt() ? backbone.path("workingPixels").asInt() : null;
        ImagenetBackbone.Source source;
        try {
            source = ImagenetBackbone.resolve(backboneLocation, backboneOffline, expectedBlobId, fetcher, log);
        } catch (WeightsUnreachableException e) {
            if (whenUnreachable == WhenUnreachable.FAIL) {
                throw e;
            }
            notes.add("ImageNet backbone not reachable (" + e.getMessage() + "): the pack is built without the"
                    + " quality model");
            log.accept("photoscore: " + notes.get(notes.size() - 1));
            Files.delete(outDir.resolve(QUALITY_FILE));
            Files.delete(outDir.resolve(QUALITY_PROVENANCE));
            return Optional.empty();
        }
        Path file = outDir.resolve(QUALITY_FILE);
        List<ModelProto> heads = new ArrayList<>();
        heads.add(ModelProto.parseFrom(Files.readAllBytes(file)));
        collageClassifier(outDir, spec).ifPresent(heads::add);
        ModelProto backboneGraph = MobileNetTfliteConverter.convert(TfliteModel.read(source.model()), spec);
        ModelProto composed = OnnxComposition.compose(backboneGraph, heads);
        if (precision == Precision.INT8 && imageInt8RangeInputs.isEmpty()) {
            throw new IllegalStateException("int8 precision of the quality model needs photos to calibrate on"
                    + " (Builder.imageInt8RangeInputs: RGB 0..255 at the working size)");
        }
        Files.write(file, precision.apply(composed, imageInt8RangeInputs, imageCalibrationShape).toByteArray());
        if (precision != Precision.FP32) {
            notes.add(QUALITY_FILE + " is " + precision.label() + (precision == Precision.INT8
                    ? " (activation ranges from " + imageInt8RangeInputs.size() + " calibration photos)" : ""));
        }
        Path licenseDir = Files.createDirectories(outDir.resolve(BACKBONE_LICENSE_DIR));
        Files.copy(source.license(), licenseDir.resolve(ImagenetBackbone.LICENSE_FILE_NAME));
        Files.writeString(licenseDir.resolve("NOTICE"), ImagenetBackbone.notice(source, spec, QUALITY_FILE));
        notes.add(QUALITY_FILE + " holds Google's ImageNet MobileNet v1 converted from TensorFlow Lite"
                + " (Apache-2.0, see " + BACKBONE_LICENSE_DIR + ")");
        log.accept("photoscore: ImageNet backbone " + source.location() + " converted for " + spec.text()
                + " and composed with the quality head into " + file);
        String sha256 = Checksums.sha256(file);
        List<String> outputs = composed.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        return Optional.of(new ModelEntry(QUALITY_MODEL, QUALITY_FILE, "quality-image", outputs,
                "sha256:" + sha256.substring(0, 12), provenance.path("features").path("version").asText(null),
                sha256, List.of(new WeightsProvenance("backbone", source.location(), source.gitBlobId(),
                        source.sha256(), source.published())), null,
                new ImageInput(MobileNetTfliteConverter.INPUT, "NCHW", "RGB", workingPixels)));
    }

    /**
     * The bundled collage classifier, when there is one, to compose beside the quality head; its provenance is
     * copied into the pack. It must have been trained on the features the quality head's backbone computes: the
     * build stops otherwise, since it could not read them.
     */
    private Optional<ModelProto> collageClassifier(Path outDir, BackboneSpec spec) throws IOException {
        Optional<Path> file = copyBundled(COLLAGE_CLASSIFIER_FILE, outDir);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        Path provenance = copyBundled(COLLAGE_CLASSIFIER_PROVENANCE, outDir).orElseThrow(() ->
                new IllegalStateException(COLLAGE_CLASSIFIER_FILE + " is bundled without its provenance "
                        + COLLAGE_CLASSIFIER_PROVENANCE));
        String trainedOn = new ObjectMapper().readTree(provenance.toFile()).path("backbone").path("spec").asText();
        if (!trainedOn.equals(spec.text())) {
            throw new IllegalStateException("the collage classifier " + COLLAGE_CLASSIFIER_FILE + " was trained on"
                    + " the backbone features " + trainedOn + ", the quality head takes " + spec.text()
                    + ": retrain it (CollageClassifierTraining, see docs/scoring.md)");
        }
        ModelProto classifier = ModelProto.parseFrom(Files.readAllBytes(file.get()));
        List<String> outputs = classifier.getGraph().getOutputList().stream().map(ValueInfoProto::getName).toList();
        if (!outputs.equals(List.of(ModelManifest.COLLAGE_OUTPUT))) {
            throw new IllegalStateException("the collage classifier " + COLLAGE_CLASSIFIER_FILE + " has the outputs "
                    + outputs + ", expected [" + ModelManifest.COLLAGE_OUTPUT + "]");
        }
        Files.delete(file.get());
        return Optional.of(classifier);
    }

    /** Copies a file bundled with the builder into the pack; empty when it is not bundled. */
    private Optional<Path> copyBundled(String name, Path outDir) throws IOException {
        Path target = outDir.resolve(name);
        Files.createDirectories(target.getParent());
        if (bundledDir != null) {
            Path source = bundledDir.resolve(name);
            if (!Files.isRegularFile(source)) {
                return Optional.empty();
            }
            Files.copy(source, target);
            return Optional.of(target);
        }
        try (InputStream in = ModelPackBuilder.class.getResourceAsStream(BUNDLED + name)) {
            if (in == null) {
                return Optional.empty();
            }
            Files.copy(in, target);
            return Optional.of(target);
        }
    }

    private static String packVersion(List<ModelEntry> models, Calibration calibration) {
        StringBuilder content = new StringBuilder("calibration:" + calibration.version());
        models.forEach(m -> content.append('\n').append(m.name()).append(':').append(m.sha256()));
        return Checksums.sha256(content.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 12);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public static final class Builder {
        private final Map<NimaHead, String> locations = new EnumMap<>(NimaHead.class);
        private boolean verifyDownloads = true;
        private WhenUnreachable whenUnreachable = WhenUnreachable.FAIL;
        private WeightsFetcher fetcher;
        private String resize = DEFAULT_RESIZE;
        private Path bundledDir;
        private boolean includeQualityModel = true;
        private Precision precision = Precision.FP32;
        private List<float[]> int8RangeInputs = List.of();
        private List<float[]> imageInt8RangeInputs = List.of();
        private long[] imageCalibrationShape;
        private String backboneLocation = "";
        private Path backboneOffline = defaultBackboneOffline();
        private Consumer<String> log = System.err::println;

        private Builder() {
            weights(NimaHead.PUBLISHED_BASE_URL);
        }

        /** A folder holding both published files, or a URL base ending in '/'; blank means no NIMA heads. */
        public Builder weights(String location) {
            String base = location == null ? "" : location.trim();
            boolean url = base.startsWith("http://") || base.startsWith("https://");
            for (NimaHead head : NimaHead.values()) {
                locations.put(head, base.isEmpty() ? null : url && !base.endsWith("/") ? base + "/" : base);
            }
            return this;
        }

        /** One head's weights: a file or a file URL; overrides {@link #weights(String)} for that head. */
        public Builder headWeights(NimaHead head, String location) {
            if (location != null && !location.isBlank()) {
                locations.put(head, location.trim());
            }
            return this;
        }

        /** Whether downloads must be idealo's published files (default true). */
        public Builder verifyDownloads(boolean verifyDownloads) {
            this.verifyDownloads = verifyDownloads;
            return this;
        }

        public Builder whenUnreachable(WhenUnreachable whenUnreachable) {
            this.whenUnreachable = whenUnreachable;
            return this;
        }

        public Builder fetcher(WeightsFetcher fetcher) {
            this.fetcher = fetcher;
            return this;
        }

        /** The resize the scorer uses before the NIMA heads, recorded in the manifest (default nearest). */
        public Builder resize(String resize) {
            this.resize = resize;
            return this;
        }

        /** Take the bundled files (calibration, quality model) from a folder instead of the classpath. */
        public Builder bundledDir(Path bundledDir) {
            this.bundledDir = bundledDir;
            return this;
        }

        /** Whether the pack carries the project's own quality model (default true); without it, NIMA alone scores. */
        public Builder includeQualityModel(boolean include) {
            this.includeQualityModel = include;
            return this;
        }

        /**
         * How the NIMA graph and a quality model on the ImageNet backbone are stored (default
         * {@link Precision#FP32}); INT8 needs {@link #int8RangeInputs} for NIMA and
         * {@link #imageInt8RangeInputs} for the quality model.
         */
        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /**
         * Photos as the NIMA graph's input tensors ({@code [3, 224, 224]}, scaled as the scorer does) whose
         * activations set the int8 ranges; only {@link Precision#INT8} uses them.
         */
        public Builder int8RangeInputs(List<float[]> int8RangeInputs) {
            this.int8RangeInputs = List.copyOf(int8RangeInputs);
            return this;
        }

        /**
         * Where the ImageNet backbone comes from: a URL (file, or base ending in '/'), a file or a folder; blank
         * (the default) means Google's published URL.
         */
        public Builder backbone(String location) {
            this.backboneLocation = location == null ? "" : location.trim();
            return this;
        }

        /**
         * A folder holding the backbone file and its LICENSE, used when the backbone's URL cannot be reached; by
         * default the shared data folder's copy when the {@code photoscore.shared} system property names one.
         */
        public Builder backboneOffline(Path folder) {
            this.backboneOffline = folder;
            return this;
        }

        private static Path defaultBackboneOffline() {
            String shared = System.getProperty("photoscore.shared");
            return shared == null || shared.isBlank() ? null : Path.of(shared).resolve(ImagenetBackbone.SHARED_FOLDER);
        }

        /**
         * Photos as the quality model's image input ({@code [3, height, width]}, RGB values 0..255, all of one
         * size, best the working size) whose activations set its int8 ranges; only {@link Precision#INT8} uses them.
         */
        public Builder imageInt8RangeInputs(List<float[]> photos, int height, int width) {
            for (float[] photo : photos) {
                if (photo.length != 3 * height * width) {
                    throw new IllegalArgumentException("a calibration photo of " + photo.length + " values is not"
                            + " [3, " + height + ", " + width + "]");
                }
            }
            this.imageInt8RangeInputs = List.copyOf(photos);
            this.imageCalibrationShape = new long[] {1, 3, height, width};
            return this;
        }

        public Builder log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        public ModelPackBuilder build() {
            return new ModelPackBuilder(this);
        }
    }

    /**
     * Entry point of the Maven build ({@code layers/model} package phase):
     * {@code --weights=LOCATION --out=DIR [--aesthetic=LOCATION] [--technical=LOCATION] [--backbone=LOCATION]
     * [--backbone-offline=DIR]}; an empty NIMA location means none, an empty backbone location the published URL.
     * Unreachable weights are skipped with one line, so an offline build still makes a pack.
     */
    public static void main(String[] args) {
        Builder builder = builder().whenUnreachable(WhenUnreachable.SKIP);
        Path out = null;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String option = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "" : arg.substring(eq + 1);
            switch (option) {
                case "--weights" -> builder.weights(value);
                case "--aesthetic" -> builder.headWeights(NimaHead.AESTHETIC, value);
                case "--technical" -> builder.headWeights(NimaHead.TECHNICAL, value);
                case "--out" -> out = value.isEmpty() ? null : Path.of(value);
                case "--backbone" -> builder.backbone(value);
                case "--backbone-offline" -> builder.backboneOffline(value.isEmpty() ? null : Path.of(value).normalize());
                default -> throw new IllegalArgumentException("unknown option " + arg + "; usage: ModelPackBuilder"
                        + " --weights=DIR|URL --out=DIR [--aesthetic=FILE|URL] [--technical=FILE|URL]"
                        + " [--backbone=FILE|DIR|URL] [--backbone-offline=DIR]");
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("ModelPackBuilder needs --out=DIR");
        }
        ModelManifest manifest = builder.build().build(out);
        System.err.println("photoscore: model pack " + manifest.packVersion() + " in " + out + " with models "
                + manifest.models().stream().map(ModelEntry::name).toList());
    }
}
