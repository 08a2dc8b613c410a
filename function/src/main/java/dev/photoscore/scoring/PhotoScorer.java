package dev.photoscore.scoring;

import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.quality.QualityFeatures;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.quality.flags.PhotoFlags;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Scores photos with a model pack: decode and check the bytes, run the models the calibration needs, calibrate,
 * and cap the score of photos with a quality flag.
 *
 * <p>Each model is loaded once and runs on a pool of predictors, one per scoring thread (see {@link ModelRunner}).
 * The same bytes give the same score whatever the number of threads.
 */
public final class PhotoScorer implements AutoCloseable {

    static {
        // Nothing is downloaded at run time, and DJL's caches go where Lambda can write (/tmp), not the home folder.
        Path djlCache = Path.of(System.getProperty("java.io.tmpdir"), "djl");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("DJL_CACHE_DIR", djlCache.toString());
        setIfAbsent("ENGINE_CACHE_DIR", djlCache.toString());
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null && System.getenv(property) == null) {
            System.setProperty(property, value);
        }
    }

    private final ModelManifest manifest;
    private final Calibration.Variant calibration;
    private final String calibrationName;
    private final Double flaggedMaxScore;
    private final PhotoDecoder decoder;
    private final List<ModelRunner<?, ?>> models = new ArrayList<>();

    private PhotoScorer(Builder builder) {
        Path modelDir = builder.modelDir;
        this.manifest = ModelManifest.read(modelDir);
        Calibration calibrations = Calibration.read(modelDir.resolve(manifest.calibrationFile()));
        List<String> available = availableOutputs(manifest);
        this.calibration = calibrations.variantFor(available).orElseThrow(() -> new ScorerUnavailableException(
                "the model pack in " + modelDir + " has no model to score with: it holds "
                        + describeModels(manifest) + " and calibration " + calibrations.version()
                        + " needs one of " + calibrations.variants().stream().map(Calibration.Variant::inputs).toList()
                        + (manifest.notes().isEmpty() ? "" : "; " + String.join("; ", manifest.notes()))));
        this.calibrationName = calibrations.version() + "/" + calibration.name();
        this.flaggedMaxScore = calibrations.flaggedMaxScore();
        this.decoder = new PhotoDecoder(builder.limits);
        Set<String> needed = calibration.inputs().stream().map(input -> input.substring(0, input.indexOf('.')))
                .collect(Collectors.toSet());
        try {
            for (ModelEntry entry : manifest.models()) {
                if (needed.contains(entry.name())) {
                    models.add(runner(modelDir, entry, builder));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ModelRunner<?, ?> runner(Path modelDir, ModelEntry entry, Builder builder) {
        Path file = modelDir.resolve(entry.file());
        String prefix = entry.name() + ".";
        switch (entry.kind()) {
            case "nima-mobilenet" -> {
                ResizeMethod resize = builder.resize != null ? builder.resize
                        : ResizeMethod.parse(manifest.input().resize());
                return new ModelRunner<>(file, new NimaTranslator(manifest.input(), resize, entry.outputs()),
                        ModelInput::image, prediction -> {
                            Map<String, Double> means = new LinkedHashMap<>();
                            prediction.distributions().keySet()
                                    .forEach(head -> means.put(prefix + head, prediction.mean(head)));
                            return means;
                        }, builder.threads, builder.intraOpThreads);
            }
            case "quality-features" -> {
                if (!QualityFeatures.VERSION.equals(entry.features())) {
                    throw new ScorerUnavailableException("quality model " + file + " was trained on features "
                            + entry.features() + " but this build computes " + QualityFeatures.VERSION
                            + ": retrain it (see docs/scoring.md)");
                }
                return new ModelRunner<>(file, new QualityModelTranslator(), ModelInput::working,
                        mos -> Map.of(prefix + entry.outputs().get(0), mos), builder.threads, builder.intraOpThreads);
            }
            default -> throw new ScorerUnavailableException("model " + entry.name() + " has unknown kind "
                    + entry.kind());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Decodes, checks and scores one photo. */
    public PhotoScore score(byte[] photo) throws PhotoRejectedException {
        return score(decoder.decode(photo));
    }

    /**
     * Scores a photo already decoded by {@link #decoder()}: the models' outputs calibrated, then, when the photo has a
     * quality flag ({@link PhotoFlags}), capped at the calibration's {@code flaggedMaxScore}.
     */
    public PhotoScore score(DecodedPhoto photo) {
        ModelInput input = new ModelInput(photo.image(), WorkingImage.of(photo.image()));
        Map<String, Double> outputs = new LinkedHashMap<>();
        for (ModelRunner<?, ?> model : models) {
            outputs.putAll(model.predict(List.of(input)).get(0));
        }
        List<PhotoFlag> flags = PhotoFlags.detect(input.working());
        double score = calibration.score(outputs);
        if (!flags.isEmpty() && flaggedMaxScore != null) {
            score = Math.min(score, flaggedMaxScore);
        }
        return new PhotoScore(score, PhotoScore.classOf(score), outputs, calibrationName, flags);
    }

    public PhotoDecoder decoder() {
        return decoder;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    /** The models in use and the calibration, in words, e.g. for the command line's first line. */
    public String describe() {
        return "model pack " + manifest.packVersion() + ": " + describeModels(manifest) + "; calibration "
                + calibrationName;
    }

    @Override
    public void close() {
        models.forEach(ModelRunner::close);
        models.clear();
    }

    private static List<String> availableOutputs(ModelManifest manifest) {
        List<String> outputs = new ArrayList<>();
        for (ModelEntry model : manifest.models()) {
            model.outputs().forEach(o -> outputs.add(model.name() + "." + o));
        }
        return outputs;
    }

    private static String describeModels(ModelManifest manifest) {
        if (manifest.models().isEmpty()) {
            return "no models";
        }
        return manifest.models().stream().map(m -> m.name() + " " + m.outputs()).toList().toString();
    }

    public static final class Builder {
        private Path modelDir = defaultModelDir();
        private int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int intraOpThreads = 1;
        private PhotoLimits limits = PhotoLimits.api();
        private ResizeMethod resize;

        /** {@code MODEL_DIR}, else {@code /opt/models} (where Lambda mounts the model layer). */
        public static Path defaultModelDir() {
            String env = System.getenv("MODEL_DIR");
            return Path.of(env != null && !env.isBlank() ? env : "/opt/models");
        }

        public Builder modelDir(Path modelDir) {
            this.modelDir = modelDir;
            return this;
        }

        /** How many photos may be scored at once (one predictor each). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            this.threads = threads;
            return this;
        }

        /** ONNX Runtime threads within one inference (default 1: parallelism comes from scoring threads). */
        public Builder intraOpThreads(int intraOpThreads) {
            if (intraOpThreads < 1) {
                throw new IllegalArgumentException("intra-op threads must be at least 1");
            }
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        public Builder limits(PhotoLimits limits) {
            this.limits = limits;
            return this;
        }

        /** Overrides the resize method the manifest names. */
        public Builder resize(ResizeMethod resize) {
            this.resize = resize;
            return this;
        }

        public PhotoScorer build() {
            return new PhotoScorer(this);
        }
    }
}
