package dev.photoscore.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.photoscore.quality.QualityFeatures;
import dev.photoscore.quality.WorkingImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre- and post-processing of the project's own quality model: each photo's working copy becomes its handcrafted
 * feature vector ({@link QualityFeatures}), the batch one {@code [N, F]} tensor; the model's {@code [N, 1]} output is
 * the predicted mean opinion score on 0..100.
 */
final class QualityModelTranslator implements NoBatchifyTranslator<List<WorkingImage>, List<Double>> {

    /**
     * The features of a batch's photos are computed in parallel: they are most of a photo's cost, and a batch of
     * several (micro-batching) would otherwise be computed one photo after another on the one thread running it.
     */
    @Override
    public NDList processInput(TranslatorContext ctx, List<WorkingImage> photos) {
        int features = QualityFeatures.names().size();
        FloatBuffer tensor = FloatBuffer.allocate(photos.size() * features);
        for (float[] vector : photos.parallelStream().map(photo -> QualityFeatures.extract(photo).toArray()).toList()) {
            tensor.put(vector);
        }
        tensor.flip();
        return new NDList(ctx.getNDManager().create(tensor, new Shape(photos.size(), features)));
    }

    @Override
    public List<Double> processOutput(TranslatorContext ctx, NDList outputs) {
        NDArray scores = outputs.get(0);
        float[] values = scores.toFloatArray();
        List<Double> result = new ArrayList<>(values.length);
        for (float v : values) {
            result.add((double) v);
        }
        return result;
    }
}
