package dev.photoscore.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.photoscore.quality.QualityFeatures;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre- and post-processing of the project's own quality model: each photo's working copy becomes its handcrafted
 * feature vector ({@link QualityFeatures}), followed by the outputs of other models the model was trained on (the
 * NIMA means, when the manifest names them as its inputs), the batch one {@code [N, F + inputs]} tensor; the model's
 * {@code [N, 1]} output is the predicted mean opinion score on 0..100.
 */
final class QualityModelTranslator implements NoBatchifyTranslator<List<ModelInput>, List<Double>> {

    private final List<String> modelInputs;

    /** @param modelInputs the other models' outputs the model takes after the features, in order; may be empty */
    QualityModelTranslator(List<String> modelInputs) {
        this.modelInputs = List.copyOf(modelInputs);
    }

    /**
     * The features of a batch's photos are computed in parallel: they are most of a photo's cost, and a batch of
     * several (micro-batching) would otherwise be computed one photo after another on the one thread running it.
     */
    @Override
    public NDList processInput(TranslatorContext ctx, List<ModelInput> photos) {
        int width = QualityFeatures.names().size() + modelInputs.size();
        FloatBuffer tensor = FloatBuffer.allocate(photos.size() * width);
        List<float[]> features = photos.parallelStream()
                .map(photo -> QualityFeatures.extract(photo.working()).toArray()).toList();
        for (int i = 0; i < photos.size(); i++) {
            tensor.put(features.get(i));
            for (String input : modelInputs) {
                Double value = photos.get(i).outputs().get(input);
                if (value == null) {
                    throw new IllegalStateException("the quality model takes " + input + ", which was not computed");
                }
                tensor.put(value.floatValue());
            }
        }
        tensor.flip();
        return new NDList(ctx.getNDManager().create(tensor, new Shape(photos.size(), width)));
    }

    @Override
    public List<Double> processOutput(TranslatorContext ctx, NDList outputs) {
        return scores(outputs);
    }

    /** A quality model's {@code [N, 1]} output: each photo's predicted mean opinion score. */
    static List<Double> scores(NDList outputs) {
        NDArray scores = outputs.get(0);
        float[] values = scores.toFloatArray();
        List<Double> result = new ArrayList<>(values.length);
        for (float v : values) {
            result.add((double) v);
        }
        return result;
    }
}
