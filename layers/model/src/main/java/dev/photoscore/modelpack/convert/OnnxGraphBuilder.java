package dev.photoscore.modelpack.convert;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An ONNX graph as the converters write it: nodes named after their one output, float initializers added once. */
final class OnnxGraphBuilder {

    /** The ONNX operator set the converters write. */
    static final int OPSET = 13;

    private final GraphProto.Builder graph;
    private final Set<String> initializerNames = new HashSet<>();

    OnnxGraphBuilder(String name) {
        graph = GraphProto.newBuilder().setName(name);
    }

    GraphProto.Builder graph() {
        return graph;
    }

    /**
     * Adds a node {@code op} whose one output (and name) is {@code output}: its inputs are {@code input} and the
     * strings among {@code inputsAndAttributes}, its attributes the {@link AttributeProto}s.
     */
    String node(String op, String output, String input, Object... inputsAndAttributes) {
        NodeProto.Builder node = NodeProto.newBuilder().setOpType(op).setName(output).addInput(input).addOutput(output);
        for (Object item : inputsAndAttributes) {
            if (item instanceof String name) {
                node.addInput(name);
            } else {
                node.addAttribute((AttributeProto) item);
            }
        }
        graph.addNode(node);
        return output;
    }

    /** A node with a list of inputs (Concat). */
    String node(String op, String output, List<String> inputs, AttributeProto... attributes) {
        graph.addNode(NodeProto.newBuilder().setOpType(op).setName(output).addAllInput(inputs).addOutput(output)
                .addAllAttribute(List.of(attributes)));
        return output;
    }

    /** Adds a float initializer once (shared constants such as the ReLU6 bounds are added on first use). */
    String initializer(String name, Tensor tensor) {
        if (initializerNames.add(name)) {
            graph.addInitializer(OnnxTensors.floats(name, tensor));
        }
        return name;
    }

    /** A scalar float initializer. */
    String scalar(String name, float value) {
        return initializer(name, new Tensor(new int[0], new float[] {value}));
    }

    static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute = AttributeProto.newBuilder().setName(name)
                .setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            attribute.addInts(v);
        }
        return attribute.build();
    }

    static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(com.google.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    /** A float tensor [N, dims...] with a symbolic batch dimension; a dim is a size (Integer) or a name (String). */
    static ValueInfoProto valueInfo(String name, Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"));
        for (Object d : dims) {
            TensorShapeProto.Dimension.Builder dim = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer size) {
                dim.setDimValue(size);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                        .setElemType(TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
                .build();
    }

    /** The model around this graph: the project as producer, {@link #OPSET} of the default domain. */
    ModelProto.Builder model(String docString) {
        return ModelProto.newBuilder()
                .setIrVersion(7)
                .setProducerName("photoscore-model-pack")
                .setDomain("dev.photoscore")
                .setDocString(docString)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph);
    }
}
