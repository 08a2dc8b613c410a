package dev.photoscore.scoring;

import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import dev.photoscore.quality.WorkingImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Photos turned into a graph's input tensors as the scorer prepares them: what the model pack builder runs the float
 * graphs on to set int8 activation ranges ({@code pack --precision int8}).
 */
public final class Int8RangeInputs {

    /**
     * The side of the square the quality graph's calibration photos are brought to, the size of the photos it was
     * trained on (LIVE's are 500x500): the int8 quantiser takes one input shape, and what calibration measures is the
     * range of each activation, which a photo's aspect hardly moves.
     */
    public static final int QUALITY_SIDE = 500;

    private Int8RangeInputs() {
    }

    /** Each photo decoded in full (no size limits), resized as {@code input} says and scaled: {@code [3, H, W]}. */
    public static List<float[]> of(List<byte[]> photos, InputSpec input) {
        NimaTranslator translator = new NimaTranslator(input, ResizeMethod.parse(input.resize()), List.of());
        return tensors(photos, translator::tensor);
    }

    /**
     * Each photo decoded in full (no size limits) and area-averaged to {@link #QUALITY_SIDE} square, as the quality
     * graph's input: {@code [3, QUALITY_SIDE, QUALITY_SIDE]} RGB values 0..255.
     */
    public static List<float[]> qualityGraph(List<byte[]> photos) {
        return tensors(photos, image -> WorkingImage.areaAveragePlanar(image, QUALITY_SIDE, QUALITY_SIDE));
    }

    private static List<float[]> tensors(List<byte[]> photos, Function<BufferedImage, float[]> tensor) {
        PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());
        List<float[]> tensors = new ArrayList<>(photos.size());
        for (byte[] photo : photos) {
            try {
                tensors.add(tensor.apply(decoder.decode(photo).image()));
            } catch (PhotoRejectedException e) {
                throw new IllegalArgumentException("a calibration photo cannot be read: " + e.getMessage(), e);
            }
        }
        return tensors;
    }

    /** The two photos bundled for priming, the default calibration set, for the NIMA graph. */
    public static List<float[]> bundled(InputSpec input) {
        return of(Priming.photos(), input);
    }
}
