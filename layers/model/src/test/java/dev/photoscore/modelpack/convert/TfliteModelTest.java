package dev.photoscore.modelpack.convert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.photoscore.modelpack.testing.SharedData;
import dev.photoscore.modelpack.testing.TfliteWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The TensorFlow Lite reader on Google's published MobileNet file, on files written here, and on damaged bytes. */
class TfliteModelTest {

    static final String PUBLISHED = "models/imagenet_mobilenet_v1/mobilenet_v1_1.0_224_quant_embedding_extractor.tflite";

    @Test
    void readsThePublishedMobileNet() {
        Path file = SharedData.requireFile(PUBLISHED);
        TfliteModel model = TfliteModel.read(file);

        TfliteTensor input = model.input();
        assertArrayEquals(new int[] {1, 224, 224, 3}, input.shape());
        assertEquals(TfliteTensor.Type.UINT8, input.type());
        assertEquals(1 / 128f, input.quantization().scale());
        assertEquals(128, input.quantization().zeroPoint());
        // conv 3x3/2, 13 x (depthwise + pointwise), the average pool (SOURCE.md).
        assertEquals(28, model.operators().size());
        assertEquals(TfliteOperator.CONV_2D, model.operators().get(0).builtinCode());
        assertEquals(TfliteOperator.AVERAGE_POOL_2D, model.operators().get(27).builtinCode());
        TfliteOperator depthwise = model.operators().get(3);
        assertEquals(TfliteOperator.DEPTHWISE_CONV_2D, depthwise.builtinCode());
        TfliteOperator.ConvOptions options = depthwise.options(TfliteOperator.ConvOptions.class);
        assertEquals(new TfliteOperator.ConvOptions(TfliteOperator.Padding.SAME, 2, 2, 1,
                TfliteOperator.Activation.RELU6, 1, 1), options);
        assertArrayEquals(new int[] {1, 28, 28, 256}, model.tensor(49).shape());
        assertTrue(model.tensor(49).name().startsWith("MobilenetV1/MobilenetV1/Conv2d_5_pointwise/Relu6"));
        assertArrayEquals(new int[] {1, 1, 1, 1024}, model.tensor(model.outputs()[0]).shape());
        assertEquals(0.0235285f, model.tensor(model.outputs()[0]).quantization().scale(), 1e-7);

        TfliteTensor kernel = model.tensor(model.operators().get(0).inputs()[1]);
        assertArrayEquals(new int[] {32, 3, 3, 3}, kernel.shape());
        int[] q = kernel.quantizedValues();
        float[] w = kernel.dequantize();
        float scale = kernel.quantization().scale();
        long zeroPoint = kernel.quantization().zeroPoint();
        for (int i = 0; i < q.length; i += 37) {
            assertEquals(scale * (q[i] - zeroPoint), w[i], 1e-7);
        }
        TfliteTensor bias = model.tensor(model.operators().get(0).inputs()[2]);
        assertEquals(TfliteTensor.Type.INT32, bias.type());
        assertEquals(bias.quantization().scale() * bias.quantizedValues()[5], bias.dequantize()[5], 1e-6);
    }

    @Test
    void dequantisesPerChannelAlongTheQuantisedDimension() {
        // [2, 1, 1, 3] quantised along dimension 0 (output channels) and [1, 1, 2, 3] along dimension 3.
        TfliteWriter writer = new TfliteWriter();
        byte[] q = {10, 20, 30, 40, 50, 60};
        int alongO = writer.tensor("o", new int[] {2, 1, 1, 3}, TfliteWriter.UINT8, q, new float[] {0.5f, 2f},
                new long[] {10, 40}, 0);
        int alongC = writer.tensor("c", new int[] {1, 1, 2, 3}, TfliteWriter.UINT8, q, new float[] {1f, 0.25f, 3f},
                new long[] {0, 20, 30}, 3);
        writer.io(new int[] {alongO}, new int[] {alongC});
        TfliteModel model = TfliteModel.read(ByteBuffer.wrap(writer.toBytes()), "per-channel.tflite");
        assertArrayEquals(new float[] {0f, 5f, 10f, 0f, 20f, 40f}, model.tensor(alongO).dequantize());
        assertArrayEquals(new float[] {10f, 0f, 0f, 40f, 7.5f, 90f}, model.tensor(alongC).dequantize());
        assertEquals(3, model.tensor(alongC).quantization().dimension());
    }

    @Test
    void operatorCodesReadFromEitherField() {
        for (TfliteWriter.OpcodeFields fields : TfliteWriter.OpcodeFields.values()) {
            TfliteWriter writer = new TfliteWriter().opcodeFields(fields);
            int in = writer.tensor("in", new int[] {1, 4}, TfliteWriter.FLOAT32, null, null, null, 0);
            int out = writer.tensor("out", new int[] {1, 4}, TfliteWriter.FLOAT32, null, null, null, 0);
            writer.op(TfliteWriter.SOFTMAX, new int[] {in}, new int[] {out}).io(new int[] {in}, new int[] {out});
            TfliteModel model = TfliteModel.read(ByteBuffer.wrap(writer.toBytes()), fields + ".tflite");
            assertEquals(TfliteOperator.SOFTMAX, model.operators().get(0).builtinCode(), fields.toString());
        }
    }

    @Test
    void refusesAnOperatorReadingATensorThatDoesNotExist() {
        TfliteWriter writer = new TfliteWriter();
        int in = writer.tensor("in", new int[] {1, 4}, TfliteWriter.FLOAT32, null, null, null, 0);
        writer.op(TfliteWriter.SOFTMAX, new int[] {in}, new int[] {7}).io(new int[] {in}, new int[] {in});
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> TfliteModel.read(ByteBuffer.wrap(writer.toBytes()), "dangling.tflite"));
        assertTrue(e.getMessage().contains("tensor 7 of 1"), e.getMessage());
    }

    @Test
    void refusesBytesThatAreNotTensorFlowLite() {
        ByteBuffer junk = ByteBuffer.wrap("PK\u0003\u0004 not a flatbuffer at all".getBytes());
        InvalidWeightsException e = assertThrows(InvalidWeightsException.class,
                () -> TfliteModel.read(junk, "junk.tflite"));
        assertTrue(e.getMessage().contains("not a TensorFlow Lite file"), e.getMessage());
    }
}
