package dev.photoscore.scoring;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre- and post-processing of the quality graph, one ONNX graph from pixels to score (the MobileNet backbone, the
 * pooling, the standardisation and the regressor): photos of one working size ({@link WorkingSize}) become one
 * {@code [N, 3, H, W]} tensor of raw RGB values, and the graph's {@code [N, 1]} output is each photo's predicted mean
 * opinion score on the labels' 0..100 scale.
 */
final class QualityGraphTranslator implements NoBatchifyTranslator<List<WorkingSize.PhotoTensor>, List<Double>> {

    @Override
    public NDList processInput(TranslatorContext ctx, List<WorkingSize.PhotoTensor> photos) {
        WorkingSize.PhotoTensor first = photos.get(0);
        FloatBuffer tensor = FloatBuffer.allocate(photos.size() * first.chw().length);
        for (WorkingSize.PhotoTensor photo : photos) {
            if (photo.width() != first.width() || photo.height() != first.height()) {
                throw new IllegalArgumentException("one call takes photos of one working size, got "
                        + first.width() + "x" + first.height() + " and " + photo.width() + "x" + photo.height());
            }
            tensor.put(photo.chw());
        }
        tensor.flip();
        return new NDList(ctx.getNDManager().create(tensor,
                new Shape(photos.size(), 3, first.height(), first.width())));
    }

    @Override
    public List<Double> processOutput(TranslatorContext ctx, NDList outputs) {
        float[] values = outputs.get(0).toFloatArray();
        List<Double> scores = new ArrayList<>(values.length);
        for (float v : values) {
            scores.add((double) v);
        }
        return scores;
    }
}
