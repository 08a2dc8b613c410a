package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** ONNX initializers and attributes as the builder writes them: raw little-endian data. */
final class OnnxTensors {

    private OnnxTensors() {
    }

    /** A float initializer holding {@code tensor}. */
    static TensorProto floats(String name, Tensor tensor) {
        ByteBuffer bytes = buffer(tensor.data().length * Float.BYTES);
        bytes.asFloatBuffer().put(tensor.data());
        return raw(name, TensorProto.DataType.FLOAT, tensor.shape(), bytes);
    }

    /** An initializer of {@code type} whose raw data is {@code bytes} (little-endian). */
    static TensorProto raw(String name, TensorProto.DataType type, int[] shape, ByteBuffer bytes) {
        TensorProto.Builder proto = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.getNumber())
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (int d : shape) {
            proto.addDims(d);
        }
        return proto.build();
    }

    /** A little-endian buffer of {@code size} bytes. */
    static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The values of a float initializer written by {@link #floats}. */
    static Tensor read(TensorProto proto) {
        if (proto.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
            throw new IllegalArgumentException(proto.getName() + " is not a float tensor");
        }
        int[] shape = proto.getDimsList().stream().mapToInt(Long::intValue).toArray();
        float[] data = new float[proto.getRawData().size() / Float.BYTES];
        proto.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Tensor(shape, data);
    }

    static AttributeProto intAttribute(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }
}
