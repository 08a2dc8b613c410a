package dev.photoscore.training;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.photoscore.image.PhotoDecoder;
import dev.photoscore.image.PhotoLimits;
import dev.photoscore.image.PhotoRejectedException;
import dev.photoscore.modelpack.convert.MobileNetTfliteConverter;
import dev.photoscore.scoring.WorkingSize;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * A graph that takes a photo ({@code image} [1, 3, H, W], raw RGB), run in ONNX Runtime on photos prepared exactly as
 * the scorer prepares them: the same reduced decode and area averaging to the working size ({@link WorkingSize}).
 * For the training's feature extraction (the backbone) and its end-to-end check (the composed graph).
 */
final class PhotoGraph implements AutoCloseable {

    private final OrtEnvironment environment = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    private final OrtSession session;
    private final WorkingSize workingSize;
    private final PhotoDecoder decoder;

    PhotoGraph(byte[] graph, WorkingSize workingSize) throws OrtException {
        options.setIntraOpNumThreads(Math.max(1, Runtime.getRuntime().availableProcessors()));
        this.session = environment.createSession(graph, options);
        this.workingSize = workingSize;
        this.decoder = new PhotoDecoder(PhotoLimits.api().withoutSizeLimits(), workingSize.decodeSize());
    }

    /** The named output's row for one photo (its file's bytes; {@code name} says which photo in errors). */
    float[] run(byte[] photo, String name, String output) throws IOException, OrtException {
        WorkingSize.PhotoTensor tensor;
        try {
            tensor = workingSize.tensor(decoder.decode(photo).image());
        } catch (PhotoRejectedException e) {
            throw new IOException(name + " cannot be decoded: " + e.getMessage(), e);
        }
        try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(tensor.chw()),
                new long[] {1, 3, tensor.height(), tensor.width()});
             OrtSession.Result result = session.run(Map.of(MobileNetTfliteConverter.INPUT, input))) {
            return ((float[][]) result.get(output).orElseThrow(
                    () -> new IllegalStateException("the graph has no output " + output)).getValue())[0];
        }
    }

    @Override
    public void close() throws OrtException {
        session.close();
        options.close();
    }
}
