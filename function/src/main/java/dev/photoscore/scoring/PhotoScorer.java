package dev.photoscore.scoring;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Scores photos with a model pack: decode and check the bytes, run the models, calibrate.
 *
 * <p>The models are loaded once ({@link ZooModel}); each scoring thread borrows a {@link Predictor} of its own from a
 * pool of {@code threads}, so concurrent calls never share one. The same bytes give the same score whatever the
 * number of threads.
 */
public final class PhotoScorer implements AutoCloseable {

    static final String ENGINE = "OnnxRuntime";

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
    private final PhotoDecoder decoder;
    private final ZooModel<List<BufferedImage>, List<NimaPrediction>> nima;
    private final BlockingQueue<Predictor<List<BufferedImage>, List<NimaPrediction>>> predictors;

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
        this.decoder = new PhotoDecoder(builder.limits);
        ResizeMethod resize = builder.resize != null ? builder.resize : ResizeMethod.parse(manifest.input().resize());
        ModelEntry nimaEntry = manifest.model("nima").orElseThrow();
        this.nima = load(modelDir, nimaEntry, new NimaTranslator(manifest.input(), resize, nimaEntry.outputs()),
                builder.intraOpThreads);
        this.predictors = new ArrayBlockingQueue<>(builder.threads);
        for (int i = 0; i < builder.threads; i++) {
            predictors.add(nima.newPredictor());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Decodes, checks and scores one photo. */
    public PhotoScore score(byte[] photo) throws PhotoRejectedException {
        return score(decoder.decode(photo));
    }

    /** Scores a photo already decoded by {@link #decoder()}. */
    public PhotoScore score(DecodedPhoto photo) {
        NimaPrediction prediction = predict(List.of(photo.image())).get(0);
        Map<String, Double> outputs = new LinkedHashMap<>();
        prediction.distributions().keySet().forEach(head -> outputs.put("nima." + head, prediction.mean(head)));
        double score = calibration.score(outputs);
        return new PhotoScore(score, PhotoScore.classOf(score), outputs, calibrationName);
    }

    private List<NimaPrediction> predict(List<BufferedImage> images) {
        Predictor<List<BufferedImage>, List<NimaPrediction>> predictor = borrow();
        try {
            return predictor.predict(images);
        } catch (TranslateException e) {
            throw new ScorerUnavailableException("inference failed: " + e.getMessage(), e);
        } finally {
            predictors.add(predictor);
        }
    }

    private Predictor<List<BufferedImage>, List<NimaPrediction>> borrow() {
        try {
            return predictors.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScorerUnavailableException("interrupted while waiting for a predictor", e);
        }
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
        predictors.forEach(Predictor::close);
        predictors.clear();
        nima.close();
    }

    private static <I, O> ZooModel<I, O> load(Path modelDir, ModelEntry entry,
                                              ai.djl.translate.Translator<I, O> translator, int intraOpThreads) {
        Path file = modelDir.resolve(entry.file());
        if (!Files.isRegularFile(file)) {
            throw new ScorerUnavailableException("model file " + file + " named by the manifest is missing");
        }
        Criteria.Builder<I, O> criteria = Criteria.builder()
                .setTypes((Class<I>) (Class<?>) List.class, (Class<O>) (Class<?>) List.class)
                .optEngine(ENGINE)
                .optDevice(Device.cpu())
                .optModelPath(file)
                .optTranslator(translator)
                // One inference per thread: the pool gives parallelism across photos, ORT none within one call.
                .optOption("interOpNumThreads", "1")
                .optOption("intraOpNumThreads", Integer.toString(intraOpThreads));
        try {
            return criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new ScorerUnavailableException("cannot load model " + file + ": " + e.getMessage(), e);
        }
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
