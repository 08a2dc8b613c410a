package dev.photoscore.scoring;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import dev.photoscore.image.DecodedPhoto;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.Calibration;
import dev.photoscore.modelpack.ModelManifest;
import dev.photoscore.modelpack.ModelManifest.ModelEntry;
import dev.photoscore.quality.WorkingImage;
import dev.photoscore.quality.flags.PhotoFlag;
import dev.photoscore.quality.flags.PhotoFlags;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * The steps of {@link PhotoScorer#score(byte[])}, timed one by one, for the model a pack scores with: its quality
 * graph ({@code quality-image}: the photo area-averaged to its {@link WorkingSize}) when it has one, else its NIMA
 * heads (nearest-neighbour resize to 224x224). It is the core's public entry point for measuring a request stage by
 * stage (the benchmark's per-stage costs), beside the scorer, so that it calls the package-private steps themselves
 * ({@link WorkingSize#prepare}, {@link NimaTranslator#toChw}, {@link PhotoScorer#calibrated}) without widening the
 * scorer's API for measurement.
 *
 * <p>Inference runs through DJL on ONNX Runtime with the scorer's options (one inter-op and, unless told otherwise,
 * one intra-op thread), fed a ready tensor ({@link NoopTranslator}), so it is the graph's cost alone.
 */
public final class StageProbe implements AutoCloseable {

    /** The steps of one request, in order. */
    public enum Stage {
        READ_AND_VALIDATE("read and validate"),
        DECODE("decode"),
        RESIZE("resize and working copy"),
        TENSOR("tensor"),
        INFERENCE("inference"),
        FLAGS("flags"),
        CALIBRATION("calibration");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** The quality graph's ready tensor: a 500x500 photo, the size of the photos it was trained on. */
    public static final int QUALITY_FLOOR_SIDE = 500;

    /** A model input: planar values and their shape. */
    private record Tensor(float[] chw, Shape shape) {
    }

    /**
     * How one kind of model is fed and read: resize (with the flags' working copy), tensor, outputs; {@code R} is the
     * resized photo and its working copy.
     */
    private interface Steps<R> {

        R resize(DecodedPhoto photo);

        WorkingImage working(R resized);

        Tensor tensor(R resized);

        Map<String, Double> outputs(NDList outputs);

        /** A tensor of the model's usual input size, for inference alone. */
        Tensor ready(Random random);
    }

    private record QualitySteps(String output, WorkingSize size) implements Steps<WorkingSize.Prepared> {

        @Override
        public WorkingSize.Prepared resize(DecodedPhoto photo) {
            return size.prepare(photo.image(), photo.nativeCrop());
        }

        @Override
        public WorkingImage working(WorkingSize.Prepared resized) {
            return resized.working();
        }

        @Override
        public Tensor tensor(WorkingSize.Prepared resized) {
            WorkingSize.PhotoTensor tensor = resized.tensor();
            return new Tensor(tensor.chw(), new Shape(1, 3, tensor.height(), tensor.width()));
        }

        @Override
        public Map<String, Double> outputs(NDList outputs) {
            return Map.of(output, (double) outputs.get(0).toFloatArray()[0]);
        }

        @Override
        public Tensor ready(Random random) {
            float[] chw = new float[3 * QUALITY_FLOOR_SIDE * QUALITY_FLOOR_SIDE];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = random.nextFloat() * 255;
            }
            return new Tensor(chw, new Shape(1, 3, QUALITY_FLOOR_SIDE, QUALITY_FLOOR_SIDE));
        }
    }

    /** NIMA's input, resized apart from the working copy. */
    private record NimaResized(int[] rgb, WorkingImage working) {
    }

    private record NimaSteps(ModelManifest.InputSpec input, ResizeMethod resizeMethod, NimaTranslator translator,
                             String prefix) implements Steps<NimaResized> {

        @Override
        public NimaResized resize(DecodedPhoto photo) {
            return new NimaResized(resizeMethod.resize(photo.image(), input.width(), input.height()),
                    WorkingImage.of(photo.image(), photo.nativeCrop()));
        }

        @Override
        public WorkingImage working(NimaResized resized) {
            return resized.working();
        }

        @Override
        public Tensor tensor(NimaResized resized) {
            int[] rgb = resized.rgb();
            float[] chw = new float[3 * rgb.length];
            translator.toChw(rgb, chw);
            return new Tensor(chw, shape());
        }

        @Override
        public Map<String, Double> outputs(NDList outputs) {
            NimaPrediction prediction = translator.processOutput(null, outputs).get(0);
            Map<String, Double> means = new LinkedHashMap<>();
            prediction.distributions().keySet().forEach(head -> means.put(prefix + head, prediction.mean(head)));
            return means;
        }

        @Override
        public Tensor ready(Random random) {
            float[] chw = new float[3 * input.width() * input.height()];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = (float) (random.nextFloat() * 255 * input.scale() + input.offset());
            }
            return new Tensor(chw, shape());
        }

        private Shape shape() {
            return new Shape(1, 3, input.height(), input.width());
        }
    }

    private final ModelEntry entry;
    private final Steps<?> steps;
    private final Calibration.Variant calibration;
    private final String calibrationName;
    private final Double flaggedMaxScore;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager;
    private final NDArray readyTensor;

    /**
     * @param ortOptions DJL's ONNX Runtime options on top of the scorer's (e.g. {@code optLevel},
     *                   {@code intraOpNumThreads})
     */
    public StageProbe(Path modelDir, Map<String, String> ortOptions) {
        ModelManifest manifest = ModelManifest.read(modelDir);
        this.entry = manifest.models().stream().filter(m -> m.kind().equals(PhotoScorer.QUALITY_IMAGE)).findFirst()
                .or(() -> manifest.models().stream().filter(m -> m.kind().equals("nima-mobilenet")).findFirst())
                .orElseThrow(() -> new IllegalArgumentException("the pack in " + modelDir
                        + " has neither a quality graph (quality-image) nor NIMA heads"));
        if (entry.kind().equals(PhotoScorer.QUALITY_IMAGE)) {
            this.steps = new QualitySteps(entry.qualifiedOutputs().get(0), PhotoScorer.workingSize(entry));
        } else {
            ResizeMethod resize = ResizeMethod.parse(manifest.input().resize());
            this.steps = new NimaSteps(manifest.input(), resize,
                    new NimaTranslator(manifest.input(), resize, entry.outputs()), entry.name() + ".");
        }
        Calibration calibrations = Calibration.read(modelDir.resolve(manifest.calibrationFile()));
        this.calibration = calibrations.variantFor(entry.qualifiedOutputs()).orElseThrow(() ->
                new IllegalArgumentException("no calibration variant for " + entry.qualifiedOutputs() + " alone"));
        this.calibrationName = calibrations.version() + "/" + calibration.name();
        this.flaggedMaxScore = calibrations.flaggedMaxScore();
        Map<String, String> options = new LinkedHashMap<>();
        options.put("interOpNumThreads", "1");
        options.put("intraOpNumThreads", "1");
        options.putAll(ortOptions);
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(ModelRunner.ENGINE)
                .optDevice(Device.cpu())
                .optModelPath(modelDir.resolve(entry.file()))
                .optTranslator(new NoopTranslator());
        options.forEach(criteria::optOption);
        try {
            this.model = criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new IllegalStateException("cannot load " + entry.file() + ": " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor();
        this.manager = NDManager.newBaseManager();
        Tensor ready = steps.ready(new Random(1));
        this.readyTensor = manager.create(ready.chw(), ready.shape());
    }

    /** The model timed: {@code quality (quality-image)} or {@code nima (nima-mobilenet)}. */
    public String model() {
        return entry.name() + " (" + entry.kind() + ")";
    }

    /** The shape of the ready tensor {@link #inferenceAlone()} runs on, e.g. {@code 1x3x500x500}. */
    public String readyShape() {
        long[] shape = readyTensor.getShape().getShape();
        StringBuilder text = new StringBuilder();
        for (long dimension : shape) {
            text.append(text.isEmpty() ? "" : "x").append(dimension);
        }
        return text.toString();
    }

    /**
     * One request stage by stage, in nanoseconds of {@code clock} (e.g. the thread's CPU time): read and validate
     * ({@link PhotoDecoder#inspect}), decode (the rest of {@link PhotoDecoder#decode}: {@code decode} minus
     * {@code inspect}), resize with the flags' working copy (for the quality graph one pass over the decoded photo
     * makes both, as in the scorer), tensor, inference, the quality flags, calibration (with the flags' cap).
     */
    public EnumMap<Stage, Long> time(PhotoDecoder decoder, byte[] photo, LongSupplier clock)
            throws PhotoRejectedException {
        return time(steps, decoder, photo, clock);
    }

    private <R> EnumMap<Stage, Long> time(Steps<R> steps, PhotoDecoder decoder, byte[] photo, LongSupplier clock)
            throws PhotoRejectedException {
        EnumMap<Stage, Long> nanos = new EnumMap<>(Stage.class);
        long t0 = clock.getAsLong();
        decoder.inspect(photo);
        long t1 = clock.getAsLong();
        DecodedPhoto decoded = decoder.decode(photo);
        long t2 = clock.getAsLong();
        R resized = steps.resize(decoded);
        long t3 = clock.getAsLong();
        Tensor ready = steps.tensor(resized);
        NDArray tensor = manager.create(FloatBuffer.wrap(ready.chw()), ready.shape());
        long t4 = clock.getAsLong();
        NDList outputs = infer(tensor);
        Map<String, Double> values = steps.outputs(outputs);
        long t5 = clock.getAsLong();
        List<PhotoFlag> flags = PhotoFlags.detect(steps.working(resized));
        long t6 = clock.getAsLong();
        PhotoScorer.calibrated(calibration, calibrationName, flaggedMaxScore, values, flags);
        long t7 = clock.getAsLong();
        tensor.close();
        outputs.close();
        nanos.put(Stage.READ_AND_VALIDATE, t1 - t0);
        nanos.put(Stage.DECODE, Math.max(0, (t2 - t1) - (t1 - t0)));
        nanos.put(Stage.RESIZE, t3 - t2);
        nanos.put(Stage.TENSOR, t4 - t3);
        nanos.put(Stage.INFERENCE, t5 - t4);
        nanos.put(Stage.FLAGS, t6 - t5);
        nanos.put(Stage.CALIBRATION, t7 - t6);
        return nanos;
    }

    /** Inference alone on a tensor made once: the floor of any request, in nanoseconds. */
    public long inferenceAlone() {
        long start = System.nanoTime();
        infer(readyTensor).close();
        return System.nanoTime() - start;
    }

    private NDList infer(NDArray tensor) {
        try {
            return predictor.predict(new NDList(tensor));
        } catch (TranslateException e) {
            throw new IllegalStateException("inference failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        readyTensor.close();
        manager.close();
        predictor.close();
        model.close();
    }
}
