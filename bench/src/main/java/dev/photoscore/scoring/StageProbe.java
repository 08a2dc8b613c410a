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
import dev.photoscore.quality.QualityFeatures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The steps of {@link PhotoScorer#score(byte[])} for the NIMA pack, timed one by one. It lives in the scorer's
 * package, in the benchmark module, to call the package-private steps themselves ({@link ResizeMethod#resize},
 * {@link NimaTranslator#toChw}) without widening the scorer's API for measurement.
 *
 * <p>Inference runs through DJL on ONNX Runtime with the scorer's options (one inter-op and, unless told otherwise,
 * one intra-op thread), fed a ready tensor ({@link NoopTranslator}), so it is the graph's cost alone.
 */
public final class StageProbe implements AutoCloseable {

    /** The steps of one request, in order. */
    public enum Stage {
        READ_AND_VALIDATE("read and validate"),
        DECODE("decode"),
        RESIZE("resize"),
        TENSOR("tensor"),
        INFERENCE("inference"),
        POST_PROCESSING("post-processing"),
        QUALITY_FEATURES("quality features");

        private final String label;

        Stage(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final ModelManifest manifest;
    private final ResizeMethod resize;
    private final NimaTranslator translator;
    private final List<String> heads;
    private final Calibration.Variant calibration;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;
    private final NDManager manager;
    private final NDArray readyTensor;

    /**
     * @param ortOptions DJL's ONNX Runtime options on top of the scorer's (e.g. {@code optLevel},
     *                   {@code intraOpNumThreads})
     */
    public StageProbe(Path modelDir, Map<String, String> ortOptions) {
        this.manifest = ModelManifest.read(modelDir);
        ModelEntry nima = manifest.models().stream().filter(m -> m.kind().equals("nima-mobilenet")).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the pack in " + modelDir + " has no NIMA model"));
        this.heads = nima.outputs();
        this.resize = ResizeMethod.parse(manifest.input().resize());
        this.translator = new NimaTranslator(manifest.input(), resize, heads);
        this.calibration = Calibration.read(modelDir.resolve(manifest.calibrationFile()))
                .variantFor(heads.stream().map(h -> nima.name() + "." + h).toList())
                .orElseThrow(() -> new IllegalArgumentException("no calibration variant for NIMA alone"));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("interOpNumThreads", "1");
        options.put("intraOpNumThreads", "1");
        options.putAll(ortOptions);
        Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optEngine(ModelRunner.ENGINE)
                .optDevice(Device.cpu())
                .optModelPath(modelDir.resolve(nima.file()))
                .optTranslator(new NoopTranslator());
        options.forEach(criteria::optOption);
        try {
            this.model = criteria.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new IllegalStateException("cannot load " + nima.file() + ": " + e.getMessage(), e);
        }
        this.predictor = model.newPredictor();
        this.manager = NDManager.newBaseManager();
        int plane = manifest.input().width() * manifest.input().height();
        float[] chw = new float[3 * plane];
        Random random = new Random(1);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = random.nextFloat() * 2 - 1;
        }
        this.readyTensor = manager.create(chw, shape(1));
    }

    private Shape shape(int batch) {
        return new Shape(batch, 3, manifest.input().height(), manifest.input().width());
    }

    /**
     * One request stage by stage, in nanoseconds: read and validate ({@link PhotoDecoder#inspect}), decode (the
     * rest of {@link PhotoDecoder#decode}: {@code decode} minus {@code inspect}), resize, tensor, inference,
     * post-processing (distributions, means, calibration); and the quality features on {@code featureImage} when
     * given (the features run on every pixel).
     */
    public EnumMap<Stage, Long> time(PhotoDecoder decoder, byte[] photo, BufferedImage featureImage)
            throws PhotoRejectedException {
        EnumMap<Stage, Long> nanos = new EnumMap<>(Stage.class);
        long t0 = System.nanoTime();
        decoder.inspect(photo);
        long t1 = System.nanoTime();
        DecodedPhoto decoded = decoder.decode(photo);
        long t2 = System.nanoTime();
        int[] rgb = resize.resize(decoded.image(), manifest.input().width(), manifest.input().height());
        long t3 = System.nanoTime();
        float[] chw = new float[3 * rgb.length];
        translator.toChw(rgb, chw);
        NDArray tensor = manager.create(FloatBuffer.wrap(chw), shape(1));
        long t4 = System.nanoTime();
        NDList outputs = infer(tensor);
        long t5 = System.nanoTime();
        Map<String, Double> means = new LinkedHashMap<>();
        NimaPrediction prediction = translator.processOutput(null, outputs).get(0);
        heads.forEach(head -> means.put("nima." + head, prediction.mean(head)));
        double score = calibration.score(means);
        new PhotoScore(score, PhotoScore.classOf(score), means, calibration.name(), List.of());
        long t6 = System.nanoTime();
        tensor.close();
        outputs.close();
        nanos.put(Stage.READ_AND_VALIDATE, t1 - t0);
        nanos.put(Stage.DECODE, Math.max(0, (t2 - t1) - (t1 - t0)));
        nanos.put(Stage.RESIZE, t3 - t2);
        nanos.put(Stage.TENSOR, t4 - t3);
        nanos.put(Stage.INFERENCE, t5 - t4);
        nanos.put(Stage.POST_PROCESSING, t6 - t5);
        if (featureImage != null) {
            long t7 = System.nanoTime();
            QualityFeatures.extract(featureImage);
            nanos.put(Stage.QUALITY_FEATURES, System.nanoTime() - t7);
        }
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
