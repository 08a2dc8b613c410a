package dev.photoscore.scoring;

import ai.djl.Device;
import dev.photoscore.image.DecodeBudget;
import dev.photoscore.image.DecodeCapacityException;
import dev.photoscore.image.DecodeSize;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.quality.flags.PhotoFlags;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Scores photos with a model pack: decode and check the bytes, run the models the calibration needs, calibrate,
 * and cap the score of photos with a quality flag.
 *
 * <p>Each model is loaded once and runs on a pool of predictors, one per scoring thread (see {@link ModelRunner}).
 * The same bytes give the same score whatever the number of threads.
 */
public final class PhotoScorer implements AutoCloseable {

    static final String QUALITY_IMAGE = "quality-image";

    private final ModelManifest manifest;
    private final Calibration.Variant calibration;
    private final String calibrationName;
    private final Double flaggedMaxScore;
    /** The output holding the collage classifier's margin (e.g. {@code quality.collage}); null without one. */
    private final String collageMargin;
    /** The quality graph's working size, whose tensor is made with the working copy; null without the graph. */
    private final WorkingSize graphSize;
    private final PhotoDecoder decoder;
    private final DecodeBudget decodeBudget;
    private final List<ModelRunner<?, ?>> models = new ArrayList<>();
    /** Gathers concurrent photos into batches; null without micro-batching. */
    private final MicroBatcher batcher;

    private PhotoScorer(Builder builder) {
        Path modelDir = builder.modelDir;
        this.manifest = ModelManifest.read(modelDir);
        Calibration calibrations = Calibration.read(modelDir.resolve(manifest.calibrationFile()));
        List<String> available = runOrder(manifest.models()).stream()
                .flatMap(entry -> entry.qualifiedOutputs().stream()).toList();
        this.calibration = variant(calibrations, available, builder.variant).orElseThrow(() ->
                new ScorerUnavailableException("the model pack in " + modelDir + " has no model to score with: it holds "
                        + describeModels(manifest) + " and calibration " + calibrations.version()
                        + (builder.variant == null
                                ? " needs one of " + calibrations.variants().stream().map(Calibration.Variant::inputs)
                                        .toList()
                                : " has no variant " + builder.variant + " whose inputs the pack provides")
                        + unfedModels(manifest, available)
                        + (manifest.notes().isEmpty() ? "" : "; " + String.join("; ", manifest.notes()))));
        this.calibrationName = calibrations.version() + "/" + calibration.name();
        this.flaggedMaxScore = calibrations.flaggedMaxScore();
        List<ModelEntry> used = modelsFor(manifest, calibration.inputs());
        this.collageMargin = used.stream().filter(entry -> entry.kind().equals(QUALITY_IMAGE)
                        && entry.outputs().contains(ModelManifest.COLLAGE_OUTPUT))
                .map(entry -> entry.name() + "." + ModelManifest.COLLAGE_OUTPUT).findFirst().orElse(null);
        this.graphSize = used.stream().filter(entry -> entry.kind().equals(QUALITY_IMAGE)).findFirst()
                .map(PhotoScorer::workingSize).orElse(null);
        this.decoder = new PhotoDecoder(builder.limits, builder.fullDecode ? DecodeSize.full() : decodeSize(used));
        this.decodeBudget = builder.decodeBudget != null ? builder.decodeBudget : DecodeBudget.configured();
        try {
            for (ModelEntry entry : used) {
                models.add(runner(modelDir, entry, builder));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        this.batcher = builder.microBatching == null ? null
                : new MicroBatcher(builder.microBatching, builder.threads, this::scoreAll);
    }

    /** The named variant when its inputs are available; without a name, the first variant whose inputs are. */
    private static Optional<Calibration.Variant> variant(Calibration calibrations, List<String> available, String name) {
        if (name == null) {
            return calibrations.variantFor(available);
        }
        return calibrations.variants().stream()
                .filter(variant -> variant.name().equals(name) && available.containsAll(variant.inputs()))
                .findFirst();
    }

    /** For each model that takes outputs the pack's other models do not provide, saying so; empty for none. */
    private static String unfedModels(ModelManifest manifest, List<String> available) {
        return manifest.models().stream().filter(entry -> !available.containsAll(entry.modelInputs()))
                .map(entry -> "; " + entry.name() + " takes " + entry.modelInputs()
                        + ", which the other models of the pack do not all provide")
                .collect(Collectors.joining());
    }

    /**
     * The models that make {@code outputs}, with the models whose outputs they take, in {@link #runOrder}.
     */
    private static List<ModelEntry> modelsFor(ModelManifest manifest, List<String> outputs) {
        Set<String> names = new HashSet<>();
        Deque<String> wanted = new ArrayDeque<>(outputs);
        while (!wanted.isEmpty()) {
            String output = wanted.pop();
            String name = output.substring(0, output.indexOf('.'));
            manifest.model(name).filter(entry -> names.add(name)).ifPresent(entry -> wanted.addAll(entry.modelInputs()));
        }
        return runOrder(manifest.models().stream().filter(entry -> names.contains(entry.name())).toList());
    }

    /**
     * The models in an order that runs each after the models whose outputs it takes (the NIMA heads before a
     * quality model trained on their means), in manifest order otherwise; a model whose inputs no model provides is
     * left out.
     */
    private static List<ModelEntry> runOrder(List<ModelEntry> models) {
        List<ModelEntry> order = new ArrayList<>();
        Set<String> outputs = new HashSet<>();
        boolean added = true;
        while (added) {
            added = false;
            for (ModelEntry entry : models) {
                if (!order.contains(entry) && outputs.containsAll(entry.modelInputs())) {
                    order.add(entry);
                    outputs.addAll(entry.qualifiedOutputs());
                    added = true;
                }
            }
        }
        return order;
    }

    /**
     * The fewest pixels the models can be given: NIMA sees 224x224, so a photo is decoded at no less than twice that
     * (the nearest-neighbour resize still picks among several pixels per input pixel, as from the full photo; see
     * docs/performance.md for what it changes in the scores); the quality graph sees the photo at its working size,
     * decoded with the margin {@link WorkingSize#decodeSize()} keeps.
     */
    private DecodeSize decodeSize(List<ModelEntry> used) {
        int width = 1;
        int height = 1;
        for (ModelEntry entry : used) {
            DecodeSize size = entry.kind().equals(QUALITY_IMAGE) ? workingSize(entry).decodeSize()
                    : DecodeSize.atLeast(2 * manifest.input().width(), 2 * manifest.input().height());
            width = Math.max(width, size.minWidth());
            height = Math.max(height, size.minHeight());
        }
        return DecodeSize.atLeast(width, height);
    }

    static WorkingSize workingSize(ModelEntry entry) {
        if (entry.image() == null || entry.image().workingPixels() == null) {
            throw new ScorerUnavailableException("model " + entry.name() + " takes the photo but its manifest entry"
                    + " names no working size (image.workingPixels)");
        }
        return new WorkingSize(entry.image().workingPixels());
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
                        }, ModelRunner.ONE_SHAPE, builder.threads, builder.intraOpThreads, builder.device);
            }
            case QUALITY_IMAGE -> {
                WorkingSize size = workingSize(entry);
                return new ModelRunner<>(file, new QualityGraphTranslator(entry.qualifiedOutputs()),
                        input -> size.equals(graphSize) ? input.tensor() : size.tensor(input.image()),
                        outputs -> outputs,
                        tensor -> List.of(tensor.width(), tensor.height()), builder.threads, builder.intraOpThreads,
                        builder.device);
            }
            default -> throw new ScorerUnavailableException("model " + entry.name() + " has unknown kind "
                    + entry.kind());
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Decodes, checks and scores one photo, once the {@linkplain Builder#decodeBudget decode budget} admits it: its
     * pixels count against the budget until it is scored.
     *
     * @throws DecodeCapacityException no memory for it now (or ever, when it needs more than the whole budget)
     */
    public PhotoScore score(byte[] photo) throws PhotoRejectedException {
        return scoreTimed(photo).score();
    }

    /** A photo's score, and how long decoding it and scoring it took (for the stage metrics). */
    public record TimedScore(PhotoScore score, long decodeNanos, long scoreNanos) {
    }

    /** {@link #score(byte[])}, timing the decoding and the scoring apart. */
    public TimedScore scoreTimed(byte[] photo) throws PhotoRejectedException {
        try (DecodeBudget.Lease admitted = decodeBudget.admit(decoder.footprint(photo))) {
            long start = System.nanoTime();
            DecodedPhoto decoded = decoder.decode(photo);
            long decodedAt = System.nanoTime();
            PhotoScore score = score(decoded);
            return new TimedScore(score, decodedAt - start, System.nanoTime() - decodedAt);
        }
    }

    /**
     * Scores a photo already decoded by {@link #decoder()}. With {@link Builder#microBatching micro-batching} it
     * joins the photos being scored concurrently and returns when their batch is scored.
     */
    public PhotoScore score(DecodedPhoto photo) {
        return batcher != null ? batcher.score(photo) : scoreAll(List.of(photo)).get(0);
    }

    /**
     * Scores photos already decoded, as one batch: each model is called once for all of them. Each photo's outputs
     * are calibrated, then, when the photo has a quality flag ({@link PhotoFlags}; a collage only where the pack's
     * collage classifier agrees, when it has one), capped at the calibration's {@code flaggedMaxScore}.
     */
    public List<PhotoScore> scoreAll(List<DecodedPhoto> photos) {
        if (photos.isEmpty()) {
            return List.of();
        }
        // One working image per photo for the flags, made with the graph's input (built in parallel for a batch).
        List<ModelInput> inputs = photos.parallelStream().map(this::input).toList();
        // In run order: a model that takes another's outputs finds them in its input.
        for (ModelRunner<?, ?> model : models) {
            List<Map<String, Double>> perPhoto = model.predict(inputs);
            for (int i = 0; i < photos.size(); i++) {
                inputs.get(i).outputs().putAll(perPhoto.get(i));
            }
        }
        List<PhotoScore> scores = new ArrayList<>(photos.size());
        for (ModelInput input : inputs) {
            OptionalDouble margin = collageMargin == null ? OptionalDouble.empty()
                    : OptionalDouble.of(input.outputs().get(collageMargin));
            scores.add(calibrated(calibration, calibrationName, flaggedMaxScore, input.outputs(),
                    PhotoFlags.detect(input.working(), margin)));
        }
        return scores;
    }

    /** A photo's working copy and, with the quality graph, its input, from one pass over the decoded photo. */
    private ModelInput input(DecodedPhoto photo) {
        if (graphSize == null) {
            return new ModelInput(photo.image(), WorkingImage.of(photo.image(), photo.nativeCrop()), null,
                    new LinkedHashMap<>());
        }
        WorkingSize.Prepared prepared = graphSize.prepare(photo.image(), photo.nativeCrop());
        return new ModelInput(photo.image(), prepared.working(), prepared.tensor(), new LinkedHashMap<>());
    }

    /**
     * One photo's score from its models' outputs: calibrated, then, when the photo has a quality flag, capped at
     * {@code flaggedMaxScore} (null: no cap).
     */
    static PhotoScore calibrated(Calibration.Variant calibration, String calibrationName, Double flaggedMaxScore,
                                 Map<String, Double> outputs, List<PhotoFlag> flags) {
        double score = calibration.score(outputs);
        if (!flags.isEmpty() && flaggedMaxScore != null) {
            score = Math.min(score, flaggedMaxScore);
        }
        return new PhotoScore(score, PhotoScore.classOf(score), outputs, calibrationName, flags);
    }

    /** What micro-batching has done, if it is on. */
    public Optional<MicroBatching.Stats> batchingStats() {
        return Optional.ofNullable(batcher).map(MicroBatcher::stats);
    }

    /** Calls of the models so far, all models together (with micro-batching, one per model and batch). */
    long modelCalls() {
        return models.stream().mapToLong(ModelRunner::calls).sum();
    }

    public PhotoDecoder decoder() {
        return decoder;
    }

    /** The size and pixel limits a photo must meet to be scored. */
    public PhotoLimits limits() {
        return decoder.limits();
    }

    /** The memory budget {@link #score(byte[])} admits photos by. */
    public DecodeBudget decodeBudget() {
        return decodeBudget;
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
        if (batcher != null) {
            batcher.close();
        }
        models.forEach(ModelRunner::close);
        models.clear();
    }

    private static String describeModels(ModelManifest manifest) {
        if (manifest.models().isEmpty()) {
            return "no models";
        }
        return manifest.models().stream().map(m -> m.name() + " " + m.outputs()).toList().toString();
    }

    public static final class Builder {
        /** The environment variable naming the model pack's folder. */
        public static final String MODEL_DIR_VARIABLE = "MODEL_DIR";
        /** Where Lambda mounts the model layer: the model pack's folder when none is named. */
        public static final Path LAYER_MODEL_DIR = Path.of("/opt/models");

        private Path modelDir = defaultModelDir();
        private int threads = defaultThreads();
        private int intraOpThreads = 1;
        private PhotoLimits limits = PhotoLimits.api();
        private ResizeMethod resize;
        private boolean fullDecode;
        private DecodeBudget decodeBudget;
        private Device device = Device.cpu();
        private MicroBatching microBatching;
        private String variant;

        /** {@value #MODEL_DIR_VARIABLE} of this process's environment, else {@link #LAYER_MODEL_DIR}. */
        public static Path defaultModelDir() {
            return modelDirFrom(System::getenv);
        }

        /** {@value #MODEL_DIR_VARIABLE} of an environment, else {@link #LAYER_MODEL_DIR}. */
        public static Path modelDirFrom(Function<String, String> environment) {
            String dir = environment.apply(MODEL_DIR_VARIABLE);
            return dir != null && !dir.isBlank() ? Path.of(dir.trim()) : LAYER_MODEL_DIR;
        }

        /** One scoring thread per processor. */
        public static int defaultThreads() {
            return Math.max(1, Runtime.getRuntime().availableProcessors());
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

        /**
         * Decodes every pixel of a photo instead of a reduced image just large enough for the models (the default):
         * slower and far more memory for large photos; for comparing scores.
         */
        public Builder fullDecode(boolean fullDecode) {
            this.fullDecode = fullDecode;
            return this;
        }

        /**
         * The memory budget for photos in flight {@link #score(byte[])} admits photos by; default
         * {@link DecodeBudget#configured()} (its setting, else three quarters of the heap).
         */
        public Builder decodeBudget(DecodeBudget budget) {
            this.decodeBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        /**
         * Where ONNX Runtime runs the models: the CPU (the default), or a GPU such as {@code Device.gpu()}, which
         * needs ONNX Runtime's CUDA build ({@code com.microsoft.onnxruntime:onnxruntime_gpu}) on the class path.
         */
        public Builder device(Device device) {
            this.device = Objects.requireNonNull(device, "device");
            return this;
        }

        /**
         * Gathers photos scored concurrently into batches, one model call per batch; {@link #threads} batches are
         * scored at a time. Default off: each photo is its own call.
         */
        public Builder microBatching(MicroBatching microBatching) {
            this.microBatching = microBatching;
            return this;
        }

        /**
         * Scores with the named calibration variant (e.g. {@code nima-prior}) instead of the first whose inputs the
         * pack provides, running only the models it needs; the build fails when the pack cannot feed it. For
         * tools that need particular outputs, such as the NIMA means the training can take as inputs.
         */
        public Builder variant(String variant) {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        public PhotoScorer build() {
            return new PhotoScorer(this);
        }
    }
}
