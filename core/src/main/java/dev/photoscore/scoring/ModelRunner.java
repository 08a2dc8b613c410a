package dev.photoscore.scoring;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One model of the pack on ONNX Runtime through DJL: the {@link ZooModel} loaded once, and a pool of
 * {@link Predictor}s, one per scoring thread, so concurrent calls never share one. Its answer for a photo is a set of
 * named outputs (e.g. {@code nima.aesthetic}) for the calibration.
 *
 * @param <I> what the model's translator takes of one photo's {@link ModelInput}
 * @param <O> what the model's translator makes of one photo
 */
final class ModelRunner<I, O> implements AutoCloseable {

    static final String ENGINE = "OnnxRuntime";
    /** For models whose inputs all have one shape (a fixed input size): every batch is one call. */
    static final Function<Object, ?> ONE_SHAPE = input -> Boolean.TRUE;

    private final ZooModel<List<I>, List<O>> model;
    private final BlockingQueue<Predictor<List<I>, List<O>>> predictors;
    private final Function<ModelInput, I> input;
    private final Function<O, Map<String, Double>> outputs;
    /** Inputs of different shapes cannot share one tensor: each shape goes in a call of its own. */
    private final Function<? super I, ?> shape;
    /** Calls of the model so far: with micro-batching, one per batch rather than one per photo. */
    private final AtomicLong calls = new AtomicLong();

    ModelRunner(Path file, Translator<List<I>, List<O>> translator, Function<ModelInput, I> input,
                Function<O, Map<String, Double>> outputs, Function<? super I, ?> shape, int threads, int intraOpThreads,
                Device device) {
        if (!Files.isRegularFile(file)) {
            throw new ScorerUnavailableException("model file " + file + " named by the manifest is missing");
        }
        @SuppressWarnings("unchecked")
        Criteria<List<I>, List<O>> criteria = Criteria.builder()
                .setTypes((Class<List<I>>) (Class<?>) List.class, (Class<List<O>>) (Class<?>) List.class)
                .optEngine(ENGINE)
                .optDevice(device)
                .optModelPath(file)
                .optTranslator(translator)
                // Parallelism comes from scoring threads (one predictor each); within one call ORT uses these.
                .optOption("interOpNumThreads", "1")
                .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                .build();
        try {
            this.model = criteria.loadModel();
        } catch (ModelNotFoundException | MalformedModelException | IOException e) {
            throw new ScorerUnavailableException("cannot load model " + file + ": " + e.getMessage(), e);
        }
        this.predictors = new ArrayBlockingQueue<>(threads);
        for (int i = 0; i < threads; i++) {
            predictors.add(model.newPredictor());
        }
        this.input = input;
        this.outputs = outputs;
        this.shape = shape;
    }

    /** The named outputs for each photo, in order: one call per shape of input among them. */
    List<Map<String, Double>> predict(List<ModelInput> photos) {
        List<I> inputs = photos.stream().map(input).toList();
        Map<Object, List<Integer>> byShape = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            byShape.computeIfAbsent(shape.apply(inputs.get(i)), key -> new ArrayList<>()).add(i);
        }
        Predictor<List<I>, List<O>> predictor;
        try {
            predictor = predictors.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScorerUnavailableException("interrupted while waiting for a predictor", e);
        }
        try {
            List<Map<String, Double>> results = new ArrayList<>(Collections.nCopies(inputs.size(), null));
            for (List<Integer> group : byShape.values()) {
                calls.incrementAndGet();
                List<O> predicted = predictor.predict(group.stream().map(inputs::get).toList());
                for (int k = 0; k < group.size(); k++) {
                    results.set(group.get(k), outputs.apply(predicted.get(k)));
                }
            }
            return results;
        } catch (TranslateException e) {
            throw new ScorerUnavailableException("inference failed: " + e.getMessage(), e);
        } finally {
            predictors.add(predictor);
        }
    }

    long calls() {
        return calls.get();
    }

    @Override
    public void close() {
        predictors.forEach(Predictor::close);
        predictors.clear();
        model.close();
    }
}
