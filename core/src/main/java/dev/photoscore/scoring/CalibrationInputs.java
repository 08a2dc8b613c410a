package dev.photoscore.scoring;

import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.ModelManifest.InputSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Photos turned into the NIMA graph's input tensors exactly as the scorer prepares them: what the model pack builder
 * runs the float graph on to set int8 activation ranges ({@code pack --precision int8}).
 */
public final class CalibrationInputs {

    private CalibrationInputs() {
    }

    /** Each photo decoded in full (no size limits), resized as {@code input} says and scaled: {@code [3, H, W]}. */
    public static List<float[]> of(List<byte[]> photos, InputSpec input) {
        NimaTranslator translator = new NimaTranslator(input, ResizeMethod.parse(input.resize()), List.of());
        PhotoDecoder decoder = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits());
        List<float[]> tensors = new ArrayList<>(photos.size());
        for (byte[] photo : photos) {
            try {
                tensors.add(translator.tensor(decoder.decode(photo).image()));
            } catch (PhotoRejectedException e) {
                throw new IllegalArgumentException("a calibration photo cannot be read: " + e.getMessage(), e);
            }
        }
        return tensors;
    }

    /** The two photos bundled for priming, the default calibration set. */
    public static List<float[]> bundled(InputSpec input) {
        return of(Priming.photos(), input);
    }
}
