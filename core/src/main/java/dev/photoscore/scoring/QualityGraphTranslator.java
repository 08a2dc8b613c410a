package dev.photoscore.scoring;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre- and post-processing of the quality graph, one ONNX graph from pixels to score (the MobileNet backbone, the
 * pooling, the standardisation and the regressor): photos of one working size ({@link WorkingSize}) become one
 * {@code [N, 3, H, W]} tensor of raw RGB values; the graph's {@code [N, 1]} outputs, in the manifest's order, are each
 * photo's predicted mean opinion score on the labels' 0..100 scale ({@code mos}) and, in a pack with the collage
 * classifier composed beside it, the classifier's margin ({@code collage}, positive for a collage).
 */
final class QualityGraphTranslator
        implements NoBatchifyTranslator<List<WorkingSize.PhotoTensor>, List<Map<String, Double>>> {

    private final List<String> outputs;

    /** @param outputs the graph's outputs in its order, named as the scorer reports them (e.g. {@code quality.mos}) */
    QualityGraphTranslator(List<String> outputs) {
        this.outputs = List.copyOf(outputs);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<WorkingSize.PhotoTensor> photos) {
        WorkingSize.PhotoTensor first = photos.get(0);
        // Direct and in native order: ONNX Runtime reads it where it is, where it copies any other buffer into one.
        FloatBuffer tensor = ByteBuffer.allocateDirect(Float.BYTES * photos.size() * first.chw().length)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
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
    public List<Map<String, Double>> processOutput(TranslatorContext ctx, NDList values) {
        if (values.size() != outputs.size()) {
            throw new IllegalStateException("the quality graph gave " + values.size() + " outputs, its manifest names "
                    + outputs);
        }
        List<Map<String, Double>> photos = new ArrayList<>();
        for (int o = 0; o < outputs.size(); o++) {
            float[] column = values.get(o).toFloatArray();
            for (int i = 0; i < column.length; i++) {
                if (photos.size() <= i) {
                    photos.add(new LinkedHashMap<>());
                }
                photos.get(i).put(outputs.get(o), (double) column[i]);
            }
        }
        return photos;
    }
}
