package dev.photoscore.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pre- and post-processing of the NIMA graph, in plain Java (ONNX Runtime's NDArray in DJL does little): photos are
 * resized and normalised into one {@code [N, 3, H, W]} tensor (any N, so callers can batch), and each output
 * {@code [N, 10]} becomes a distribution per photo and head.
 */
public final class NimaTranslator implements NoBatchifyTranslator<List<BufferedImage>, List<NimaPrediction>> {

    private final InputSpec input;
    private final ResizeMethod resize;
    private final List<String> heads;

    public NimaTranslator(InputSpec input, ResizeMethod resize, List<String> heads) {
        this.input = input;
        this.resize = resize;
        this.heads = List.copyOf(heads);
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<BufferedImage> photos) {
        int plane = input.width() * input.height();
        FloatBuffer tensor = FloatBuffer.allocate(photos.size() * 3 * plane);
        for (BufferedImage photo : photos) {
            tensor.put(tensor(photo));
        }
        tensor.flip();
        NDArray array = ctx.getNDManager().create(tensor, new Shape(photos.size(), 3, input.height(), input.width()));
        return new NDList(array);
    }

    /**
     * One photo as the graph's input {@code [3, H, W]}: resized and scaled as for scoring (also what the model pack
     * builder calibrates int8 ranges on).
     */
    public float[] tensor(BufferedImage photo) {
        float[] chw = new float[3 * input.width() * input.height()];
        toChw(resize.resize(photo, input.width(), input.height()), chw);
        return chw;
    }

    /** Packed RGB to planar, scaled as the model was trained: {@code x * scale + offset}. */
    void toChw(int[] rgb, float[] chw) {
        int plane = rgb.length;
        float scale = (float) input.scale();
        float offset = (float) input.offset();
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            chw[i] = (p >> 16 & 0xFF) * scale + offset;
            chw[plane + i] = (p >> 8 & 0xFF) * scale + offset;
            chw[2 * plane + i] = (p & 0xFF) * scale + offset;
        }
    }

    @Override
    public List<NimaPrediction> processOutput(TranslatorContext ctx, NDList outputs) {
        if (outputs.size() != heads.size()) {
            throw new IllegalStateException("the NIMA graph gave " + outputs.size() + " outputs for heads " + heads);
        }
        List<float[]> perHead = new ArrayList<>();
        int batch = -1;
        int bins = -1;
        for (NDArray output : outputs) {
            batch = (int) output.getShape().get(0);
            bins = (int) output.getShape().get(1);
            perHead.add(output.toFloatArray());
        }
        List<NimaPrediction> predictions = new ArrayList<>(batch);
        for (int n = 0; n < batch; n++) {
            Map<String, float[]> distributions = new LinkedHashMap<>();
            for (int h = 0; h < heads.size(); h++) {
                float[] p = new float[bins];
                System.arraycopy(perHead.get(h), n * bins, p, 0, bins);
                distributions.put(heads.get(h), p);
            }
            predictions.add(new NimaPrediction(distributions));
        }
        return predictions;
    }
}
